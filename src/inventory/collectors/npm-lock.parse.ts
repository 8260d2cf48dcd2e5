/**
 * npm lockfiles (`package-lock.json`, `npm-shrinkwrap.json`). Versions 2 and 3 list
 * every install location in `packages`, keyed by path (`node_modules/a/node_modules/b`);
 * version 1 nests `dependencies` objects the same way the install tree nests.
 * One package is reported per name@version, with every location it occupies.
 */
import { isObject, isPlausibleVersion, isValidNpmName, npmLicenses, parseJsonObject, quote } from './npm-package-json.parse.js';

export interface NpmLockPackage {
  name: string;
  /** Empty only for a local (workspace or `file:`) package whose manifest has no version. */
  version: string;
  /** Install locations relative to the lockfile's directory, as npm writes them. */
  paths: string[];
  /** Folder names it is installed under instead of its own name (`npm i alias@npm:name@x`). */
  aliases: string[];
  licenses: string[];
  /** Each flag holds only when it holds at every location: one production copy makes it production. */
  dev: boolean;
  optional: boolean;
  /** Lockfile v2+ only. */
  devOptional?: boolean;
  /** A dependency of the root project or a workspace itself; unknown in v1, which does not say. */
  direct?: boolean;
  /** Local source reached through a link (workspace or `file:`), not a registry package. */
  local: boolean;
}

export interface NpmLockResult {
  lockfileVersion?: number;
  packages: NpmLockPackage[];
  /** Entries that could not be reported, one message each. */
  errors: string[];
}

interface Occurrence {
  name: string;
  version: string;
  path: string;
  alias?: string;
  licenses: string[];
  dev: boolean;
  optional: boolean;
  devOptional?: boolean;
  direct?: boolean;
  local: boolean;
}

const NM = 'node_modules';
const MAX_KEY = 4096;
const MAX_V1_DEPTH = 256;
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/** Throws JsonFileError when the file is not a JSON object; everything else is per entry. */
export function parseNpmLock(text: string): NpmLockResult {
  const doc = parseJsonObject(text, 'lockfile');
  const out: NpmLockResult = { packages: [], errors: [] };
  if (typeof doc.lockfileVersion === 'number') out.lockfileVersion = doc.lockfileVersion;
  const occurrences: Occurrence[] = [];
  if (doc.packages !== undefined && doc.lockfileVersion !== 1) {
    if (!isObject(doc.packages)) throw new Error('lockfile "packages" is not an object');
    readPackages(doc.packages, occurrences, out.errors);
  } else if (doc.dependencies !== undefined) {
    if (!isObject(doc.dependencies)) throw new Error('lockfile "dependencies" is not an object');
    readDependencies(doc.dependencies, occurrences, out.errors);
  }
  out.packages = merge(occurrences);
  return out;
}

/** Name of the package installed at a tree path: what follows the last `node_modules/`. */
function folderName(treePath: string): string | undefined {
  const segs = treePath.split('/');
  const i = segs.lastIndexOf(NM);
  if (i < 0 || i === segs.length - 1) return undefined;
  const rest = segs.slice(i + 1);
  if (rest.length === 1 && !rest[0]!.startsWith('@')) return rest[0];
  if (rest.length === 2 && rest[0]!.startsWith('@')) return rest.join('/');
  return undefined;
}

function badTreePath(p: string): string | undefined {
  if (p.length > MAX_KEY) return 'key is too long';
  if (CONTROL_RE.test(p)) return 'key contains control characters';
  if (p.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'key is not a plain relative path';
  return undefined;
}

interface Link {
  key: string;
  target: string;
}

function readPackages(packages: Record<string, unknown>, out: Occurrence[], errors: string[]): void {
  const root = isObject(packages['']) ? packages[''] : {};
  const rootDeps = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    const deps = root[field];
    if (isObject(deps)) for (const n of Object.keys(deps)) rootDeps.add(n);
  }

  // A link's target carries the package; npm omits `resolved` only on broken links, which have nothing to report.
  const links: Link[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    if (isObject(entry) && entry.link === true && typeof entry.resolved === 'string' && entry.resolved !== '') {
      links.push({ key, target: entry.resolved.replace(/\/+$/, '') });
    }
  }

  for (const [key, entry] of Object.entries(packages)) {
    if (key === '') continue;
    if (!isObject(entry)) {
      errors.push(`entry ${quote(key)} is not an object`);
      continue;
    }
    if (entry.link === true) continue;
    // Where the package appears in the install tree: its own key, or under every link to it.
    const placements: Array<{ treePath: string; local: boolean }> = [];
    if (key.startsWith(NM + '/')) {
      placements.push({ treePath: key, local: false });
    } else {
      for (const l of links) {
        if (key !== l.target && !key.startsWith(l.target + '/')) continue;
        placements.push({ treePath: l.key + key.slice(l.target.length), local: key === l.target });
      }
    }
    for (const { treePath, local } of placements) {
      const occ = occurrenceV2(key, treePath, entry, local, errors);
      if (!occ) continue;
      // A workspace or `file:` link at the top of the tree is the project's own package, hence direct too.
      const folder = treePath.slice(NM.length + 1);
      occ.direct = folderName(treePath) === folder && (local || rootDeps.has(folder));
      out.push(occ);
    }
  }
}

function occurrenceV2(key: string, treePath: string, entry: Record<string, unknown>, local: boolean, errors: string[]): Occurrence | undefined {
  const bad = badTreePath(treePath) ?? (CONTROL_RE.test(key) ? 'key contains control characters' : undefined);
  if (bad) return void errors.push(`entry ${quote(key)}: ${bad}`);
  const folder = folderName(treePath);
  if (folder === undefined || !isValidNpmName(folder)) return void errors.push(`entry ${quote(key)}: no valid package name in the path`);
  let name = folder;
  if (entry.name !== undefined) {
    if (typeof entry.name !== 'string' || !isValidNpmName(entry.name)) return void errors.push(`entry ${quote(key)}: invalid package name ${quote(String(entry.name))}`);
    name = entry.name;
  }
  let version = '';
  if (typeof entry.version === 'string' && entry.version !== '') version = entry.version;
  else if (!local) return void errors.push(`entry ${quote(key)}: no version`);
  if (version && !isPlausibleVersion(version)) return void errors.push(`entry ${quote(key)}: invalid version ${quote(version)}`);
  const occ: Occurrence = {
    name,
    version,
    path: key,
    licenses: npmLicenses(entry.license, entry.licenses),
    dev: entry.dev === true,
    optional: entry.optional === true,
    devOptional: entry.devOptional === true,
    local,
  };
  if (name !== folder) occ.alias = folder;
  return occ;
}

/** `npm:real-name@1.2.3`, what v1 lockfiles write as the version of an aliased install. */
function splitAlias(version: string): { name: string; version: string } | undefined {
  if (!version.startsWith('npm:')) return undefined;
  const spec = version.slice(4);
  const at = spec.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

function readDependencies(top: Record<string, unknown>, out: Occurrence[], errors: string[]): void {
  // Iterative so that a hostile, deeply nested file cannot exhaust the stack.
  const stack: Array<{ deps: Record<string, unknown>; prefix: string; depth: number }> = [{ deps: top, prefix: '', depth: 0 }];
  while (stack.length) {
    const { deps, prefix, depth } = stack.pop()!;
    if (depth > MAX_V1_DEPTH) {
      errors.push(`dependencies nested deeper than ${MAX_V1_DEPTH} levels under ${quote(prefix)}; not read`);
      continue;
    }
    for (const [folder, dep] of Object.entries(deps)) {
      const treePath = `${prefix}${NM}/${folder}`;
      const occ = occurrenceV1(folder, treePath, dep, errors);
      if (!occ) continue;
      out.push(occ);
      const nested = (dep as Record<string, unknown>).dependencies;
      if (isObject(nested)) stack.push({ deps: nested, prefix: treePath + '/', depth: depth + 1 });
    }
  }
}

function occurrenceV1(folder: string, treePath: string, dep: unknown, errors: string[]): Occurrence | undefined {
  if (!isValidNpmName(folder)) return void errors.push(`dependency ${quote(folder)}: invalid package name`);
  if (!isObject(dep)) return void errors.push(`dependency ${quote(treePath)} is not an object`);
  if (typeof dep.version !== 'string' || dep.version === '') return void errors.push(`dependency ${quote(treePath)}: no version`);
  let name = folder;
  let version = dep.version;
  const alias = splitAlias(version);
  if (alias) {
    if (!isValidNpmName(alias.name)) return void errors.push(`dependency ${quote(treePath)}: invalid aliased name ${quote(alias.name)}`);
    name = alias.name;
    version = alias.version;
  }
  if (!version || !isPlausibleVersion(version)) return void errors.push(`dependency ${quote(treePath)}: invalid version ${quote(version)}`);
  const occ: Occurrence = {
    name,
    version,
    path: treePath,
    licenses: [],
    dev: dep.dev === true,
    optional: dep.optional === true,
    local: false,
  };
  if (name !== folder) occ.alias = folder;
  return occ;
}

function merge(occurrences: Occurrence[]): NpmLockPackage[] {
  const byId = new Map<string, NpmLockPackage>();
  for (const o of occurrences) {
    const id = `${o.name}@${o.version}`;
    const seen = byId.get(id);
    if (!seen) {
      const p: NpmLockPackage = {
        name: o.name,
        version: o.version,
        paths: [o.path],
        aliases: o.alias ? [o.alias] : [],
        licenses: [...o.licenses],
        dev: o.dev,
        optional: o.optional,
        local: o.local,
      };
      if (o.devOptional !== undefined) p.devOptional = o.devOptional;
      if (o.direct !== undefined) p.direct = o.direct;
      byId.set(id, p);
      continue;
    }
    if (!seen.paths.includes(o.path)) seen.paths.push(o.path);
    if (o.alias && !seen.aliases.includes(o.alias)) seen.aliases.push(o.alias);
    for (const l of o.licenses) if (!seen.licenses.includes(l)) seen.licenses.push(l);
    seen.dev &&= o.dev;
    seen.optional &&= o.optional;
    if (seen.devOptional !== undefined) seen.devOptional &&= o.devOptional === true;
    if (seen.direct !== undefined) seen.direct ||= o.direct === true;
    seen.local &&= o.local;
  }
  const list = [...byId.values()];
  for (const p of list) {
    p.paths.sort();
    p.aliases.sort();
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}
