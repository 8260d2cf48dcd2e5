/**
 * Bundler lockfiles (`Gemfile.lock`, `gems.locked`), read as Bundler's LockfileParser
 * reads them: sections start at an unindented line; in a source section (`GEM`, `GIT`,
 * `PATH`, `PLUGIN SOURCE`) two-space `key: value` options precede `  specs:`, then each
 * four-space line is one locked gem, `name (version)` or `name (version-platform)`
 * (the version is everything before the first `-`: RubyGems writes pre-releases with
 * dots), and six-space lines are its dependencies. `DEPENDENCIES` lists the Gemfile's
 * own gems. A gem locked for several platforms (`nokogiri (1.16.7)`,
 * `nokogiri (1.16.7-x86_64-linux)`) is one gem at one version, listed once with each
 * platform. Where Bundler would refuse the whole file for one bad line, only that line
 * is reported and skipped.
 */
import { isGemName, isGemPlatform, isGemVersion, shown } from './gemspec.parse.js';

export type GemSourceKind =
  /** A `GEM` section: a RubyGems server (rubygems.org or a mirror or private one). */
  | 'rubygems'
  /** A `GIT` section: built from a repository at a revision. */
  | 'git'
  /** A `PATH` section: the project's own gems or local checkouts. */
  | 'path'
  /** A `PLUGIN SOURCE` section. */
  | 'plugin';

export interface GemLockSpec {
  name: string;
  version: string;
  /** `ruby` for the platform-independent gem. */
  platforms: string[];
  source: GemSourceKind;
  /** The section's `remote:` (a GEM section may list several). */
  remotes: string[];
  /** A GIT section's locked commit. */
  revision?: string;
  /** Named in `DEPENDENCIES`: a gem of the Gemfile itself. */
  direct: boolean;
  /** 1-based line of its first spec line. */
  line: number;
}

export interface GemLockResult {
  specs: GemLockSpec[];
  /** `BUNDLED WITH`. */
  bundledWith?: string;
  errors: string[];
}

const SOURCES: Record<string, GemSourceKind> = { GEM: 'rubygems', GIT: 'git', PATH: 'path', 'PLUGIN SOURCE': 'plugin' };
const CONFLICT = /<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|/;
const OPTION = /^ {2}([a-z]+): (.*)$/i;
const NAME_VERSION = /^( {2}| {4}| {6})(?! )(.*?)(?: \(([^-]*)(?:-(.*))?\))?(!)?$/;
/** A line longer than this is no lockfile line (names, versions and remotes are short). */
const MAX_LINE = 4096;
export const MAX_SPECS = 100_000;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

interface Source {
  kind: GemSourceKind;
  remotes: string[];
  revision?: string;
  specs: boolean;
}

/** Throws for a file Bundler refuses as a whole (merge conflict markers) or that has no lockfile section. */
export function parseGemfileLock(text: string): GemLockResult {
  if (CONFLICT.test(text)) throw new Error('the lockfile contains merge conflict markers');
  const out: GemLockResult = { specs: [], errors: [] };
  const byKey = new Map<string, GemLockSpec>();
  const direct = new Set<string>();
  let state: 'source' | 'dependencies' | 'bundled' | undefined;
  let source: Source | undefined;
  let sections = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const at = i + 1;
    if (line === '') continue;
    if (line.length > MAX_LINE || CONTROL.test(line)) {
      out.errors.push(`line ${at}: ${line.length > MAX_LINE ? `longer than ${MAX_LINE} characters` : 'control characters'}; skipped`);
      continue;
    }
    if (!/^\s/.test(line)) {
      const kind = SOURCES[line];
      state = kind ? 'source' : line === 'DEPENDENCIES' ? 'dependencies' : line === 'BUNDLED WITH' ? 'bundled' : undefined;
      source = kind ? { kind, remotes: [], specs: false } : undefined;
      if (kind || line === 'DEPENDENCIES' || line === 'PLATFORMS') sections++;
      continue;
    }
    if (state === 'bundled') out.bundledWith ??= line.trim();
    if (state === 'dependencies') {
      const m = NAME_VERSION.exec(line);
      if (m && m[1]!.length === 2) direct.add(m[2]!);
    }
    if (state !== 'source' || !source) continue;
    if (line === '  specs:') {
      source.specs = true;
      continue;
    }
    const opt = OPTION.exec(line);
    if (opt && !source.specs) {
      if (opt[1] === 'remote') source.remotes.push(opt[2]!);
      if (opt[1] === 'revision') source.revision = opt[2]!;
      continue;
    }
    const m = NAME_VERSION.exec(line);
    if (!m || m[1]!.length !== 4) continue;
    if (!source.specs) {
      out.errors.push(`line ${at}: a gem before "specs:" of its section; skipped`);
      continue;
    }
    const spec = readSpec(m, at, source, out.errors);
    if (!spec) continue;
    const key = `${spec.source}\u0000${spec.remotes.join(' ')}\u0000${spec.revision ?? ''}\u0000${spec.name}\u0000${spec.version}`;
    const seen = byKey.get(key);
    if (seen) {
      if (!seen.platforms.includes(spec.platforms[0]!)) seen.platforms.push(spec.platforms[0]!);
      continue;
    }
    if (byKey.size >= MAX_SPECS) {
      out.errors.push(`more than ${MAX_SPECS} gems: the rest was not read`);
      break;
    }
    byKey.set(key, spec);
  }
  if (sections === 0) throw new Error('no GEM, GIT, PATH, PLATFORMS or DEPENDENCIES section: not a Bundler lockfile');
  for (const s of byKey.values()) {
    s.direct = direct.has(s.name);
    out.specs.push(s);
  }
  return out;
}

function readSpec(m: RegExpExecArray, at: number, source: Source, errors: string[]): GemLockSpec | undefined {
  const [, , name, version, platform] = m;
  if (!isGemName(name!)) {
    errors.push(`line ${at}: invalid gem name ${shown(name!)}`);
    return undefined;
  }
  if (version === undefined || version === '') {
    errors.push(`line ${at}: gem ${name} has no version`);
    return undefined;
  }
  if (!isGemVersion(version)) {
    errors.push(`line ${at}: gem ${name}: invalid version ${shown(version)}`);
    return undefined;
  }
  if (platform !== undefined && !isGemPlatform(platform)) {
    errors.push(`line ${at}: gem ${name} ${version}: invalid platform ${shown(platform)}`);
    return undefined;
  }
  const spec: GemLockSpec = { name: name!, version, platforms: [platform ?? 'ruby'], source: source.kind, remotes: source.remotes, direct: false, line: at };
  if (source.revision) spec.revision = source.revision;
  return spec;
}
