/**
 * Cargo lockfiles (`Cargo.lock`), every format Cargo has written: v1 (long dependency
 * strings and a `[metadata]` table of checksums, and before 2018 the workspace root in
 * its own `[root]` table), v2 (checksums inline, no version marker), v3 and v4
 * (`version = 3`/`4` at the top). Each `[[package]]` table names one package with its
 * `source`; the TOML itself is read by smol-toml.
 *
 * A file that is not TOML as a whole is read again table by table, so one broken
 * `[[package]]` costs only that package: its error names the line, the rest is kept.
 */
import { parse, TomlError } from 'smol-toml';

/** Where a package comes from, as its `source` says. */
export type CargoSource =
  /** crates.io, through its git index or its sparse index: the only packages looked up in RustSec. */
  | 'crates.io'
  /** Another registry (`registry+URL`, `sparse+URL`): the same name may be a different crate. */
  | 'registry'
  /** A git repository (`git+URL?branch=x#commit`). */
  | 'git'
  /** No source: a workspace member or a path dependency, built from local files. */
  | 'path';

export interface CargoPackage {
  name: string;
  version: string;
  source: CargoSource;
  /** The registry index or the repository, for `registry` and `git`. */
  url?: string;
  /** The locked commit of a git source. */
  revision?: string;
  /** The 1-based line of its table in the file. */
  line: number;
}

export interface CargoLockResult {
  /** The `version` marker (3, 4); absent for v1 and v2, which carry none. */
  lockfileVersion?: number;
  packages: CargoPackage[];
  /** Tables or packages that could not be reported, one message each. */
  errors: string[];
}

/** The two spellings of crates.io's index (git and sparse protocol), as Cargo writes them. */
export const CRATES_IO_SOURCES: ReadonlySet<string> = new Set(['registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://index.crates.io/']);

/** Cargo's package-name rule (letters, digits, `-`, `_`, Unicode identifiers for non-registry packages), bounded. */
export const CRATE_NAME = /^[\p{XID_Start}\p{N}_][\p{XID_Continue}-]{0,127}$/u;
/** SemVer 2.0 as Cargo requires it for a package version. */
export const SEMVER = /^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
export const MAX_VERSION = 256;
const MAX_SOURCE = 2048;
/** A lockfile of a very large workspace holds a few thousand packages. */
export const MAX_PACKAGES = 100_000;
const CONTROL = /[\u0000-\u001f\u007f]/;
const TABLE_HEADER = /^[ \t]*\[/;
const PACKAGE_HEADER = /^[ \t]*\[\[[ \t]*package[ \t]*\]\][ \t]*(?:#.*)?$/;
const ROOT_HEADER = /^[ \t]*\[[ \t]*root[ \t]*\][ \t]*(?:#.*)?$/;
const TOML_OPTIONS = { unsafeKeyBehaviour: 'drop', maxDepth: 8 } as const;

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}...` : s);
}

function tomlMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.replace(/^Invalid TOML document: /, '');
}

/** A package table and the line it starts on. */
interface Entry {
  table: unknown;
  line: number;
}

/** Throws when the text holds no TOML at all that could be read. */
export function parseCargoLock(text: string): CargoLockResult {
  const out: CargoLockResult = { packages: [], errors: [] };
  const lines = text.split('\n');
  let entries: Entry[];
  try {
    entries = readWhole(text, lines, out);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    entries = readTables(lines, out);
  }
  if (entries.length > MAX_PACKAGES) {
    out.errors.push(`${entries.length} packages, more than ${MAX_PACKAGES}: the rest was not read`);
    entries = entries.slice(0, MAX_PACKAGES);
  }
  const seen = new Set<string>();
  for (const e of entries) {
    const pkg = readPackage(e, out.errors);
    if (!pkg) continue;
    const key = `${pkg.source}\u0000${pkg.url ?? ''}\u0000${pkg.revision ?? ''}\u0000${pkg.name}\u0000${pkg.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.packages.push(pkg);
  }
  return out;
}

/** The lines (1-based) of each `[[package]]` and `[root]` header, in order. */
function headerLines(lines: string[]): { packages: number[]; root?: number } {
  const packages: number[] = [];
  let root: number | undefined;
  lines.forEach((l, i) => {
    if (PACKAGE_HEADER.test(l)) packages.push(i + 1);
    else if (root === undefined && ROOT_HEADER.test(l)) root = i + 1;
  });
  return { packages, root };
}

function readWhole(text: string, lines: string[], out: CargoLockResult): Entry[] {
  const doc = parse(text, TOML_OPTIONS) as Table;
  const headers = headerLines(lines);
  const entries: Entry[] = [];
  readVersion(doc, out);
  if (doc.root !== undefined) entries.push({ table: doc.root, line: headers.root ?? 0 });
  if (doc.package !== undefined) {
    if (!Array.isArray(doc.package)) throw new Error('"package" is not an array of tables');
    doc.package.forEach((table, i) => entries.push({ table, line: headers.packages[i] ?? 0 }));
  }
  if (entries.length === 0 && doc.version === undefined && doc.metadata === undefined) throw new Error('no [[package]] table: not a Cargo lockfile');
  return entries;
}

function readVersion(doc: Table, out: CargoLockResult): void {
  if (doc.version === undefined) return;
  if (typeof doc.version === 'number' && Number.isInteger(doc.version)) out.lockfileVersion = doc.version;
  else out.errors.push(`lockfile version ${shown(String(doc.version))} is not a number`);
}

/** The file table by table: each header starts a piece of TOML that is read alone. */
function readTables(lines: string[], out: CargoLockResult): Entry[] {
  const entries: Entry[] = [];
  let start = 0;
  let readable = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end).join('\n');
    if (chunk.trim() === '') return;
    let doc: Table;
    try {
      doc = parse(chunk, TOML_OPTIONS) as Table;
    } catch (err) {
      const at = err instanceof TomlError ? start + err.line : start + 1;
      out.errors.push(`line ${at}: ${tomlMessage(err)}; the table from line ${start + 1} was skipped`);
      return;
    }
    readable++;
    readVersion(doc, out);
    if (doc.root !== undefined) entries.push({ table: doc.root, line: start + 1 });
    if (Array.isArray(doc.package)) for (const table of doc.package) entries.push({ table, line: start + 1 });
  };
  for (let i = 0; i < lines.length; i++) {
    if (i > start && TABLE_HEADER.test(lines[i]!)) {
      flush(i);
      start = i;
    }
  }
  flush(lines.length);
  if (readable === 0) throw new Error(`not TOML: ${out.errors[0] ?? 'empty'}`);
  return entries;
}

function readPackage(e: Entry, errors: string[]): CargoPackage | undefined {
  const where = e.line ? `package at line ${e.line}` : 'package';
  if (!isTable(e.table)) {
    errors.push(`${where} is not a table`);
    return undefined;
  }
  const { name, version, source } = e.table;
  if (typeof name !== 'string' || name === '') {
    errors.push(`${where} has no name`);
    return undefined;
  }
  if (!CRATE_NAME.test(name)) {
    errors.push(`${where}: invalid package name ${shown(name)}`);
    return undefined;
  }
  if (typeof version !== 'string' || version === '') {
    errors.push(`${where} (${name}) has no version`);
    return undefined;
  }
  if (version.length > MAX_VERSION || !SEMVER.test(version)) {
    errors.push(`${where} (${name}): version ${shown(version)} is not a SemVer version`);
    return undefined;
  }
  const pkg: CargoPackage = { name, version, source: 'path', line: e.line };
  if (source === undefined) return pkg;
  if (typeof source !== 'string' || source.length > MAX_SOURCE || CONTROL.test(source)) {
    errors.push(`${where} (${name}): invalid source ${shown(String(source))}`);
    return undefined;
  }
  return { ...pkg, ...classify(source) };
}

function classify(source: string): Pick<CargoPackage, 'source' | 'url' | 'revision'> {
  if (CRATES_IO_SOURCES.has(source)) return { source: 'crates.io' };
  const plus = source.indexOf('+');
  const kind = plus > 0 ? source.slice(0, plus) : '';
  const rest = plus > 0 ? source.slice(plus + 1) : source;
  if (kind === 'git') {
    const hash = rest.indexOf('#');
    const base = hash < 0 ? rest : rest.slice(0, hash);
    const q = base.indexOf('?');
    const out: Pick<CargoPackage, 'source' | 'url' | 'revision'> = { source: 'git', url: q < 0 ? base : base.slice(0, q) };
    if (hash >= 0 && hash < rest.length - 1) out.revision = rest.slice(hash + 1);
    return out;
  }
  // registry+, sparse+, or a kind Cargo may add later: a registry that is not crates.io.
  return { source: 'registry', url: source };
}
