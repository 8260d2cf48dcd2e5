import { inflateSync } from 'node:zlib';
import { CRATE_NAME, MAX_PACKAGES, MAX_VERSION, SEMVER, type CargoSource } from './cargo-lock.parse.js';

/**
 * The dependency list `cargo auditable` embeds in Rust executables: the `.dep-v0`
 * section, zlib-compressed JSON of auditable-serde's `VersionInfo`:
 * `{"packages":[{"name","version","source","kind"?,"dependencies"?,"root"?}],"format"?}`.
 * `source` is `crates.io`, `local`, `git`, `registry` or another string; `kind` is
 * `runtime` (the default) or `build`; `dependencies` are indices into `packages`; one
 * package is the `root`, the crate the executable was built from.
 *
 * The section is inflated to at most {@link MAX_JSON_BYTES}, so a zlib bomb costs no
 * more memory than that. A bad package is reported by its index and skipped, the rest
 * is kept; a section that is not zlib or not this JSON throws {@link AuditableDataError}.
 */

export const DEP_V0_SECTION = '.dep-v0';
/** The compressed section: a few KiB for hundreds of crates; JSON this large inflates past the cap anyway. */
export const MAX_SECTION_BYTES = 8 * 1024 * 1024;
/** The inflated JSON: about 100 bytes a package, so far above the largest dependency trees. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
const MAX_SOURCE = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class AuditableDataError extends Error {
  constructor(
    message: string,
    readonly code: 'corrupt' | 'too-large',
  ) {
    super(message);
    this.name = 'AuditableDataError';
  }
}

export interface AuditablePackage {
  /** Its index in the section's `packages`, which `dependencies` refer to. */
  index: number;
  name: string;
  version: string;
  /** As `Cargo.lock` sources are classified: `local` is `path`, a source Vigil does not know is another registry. */
  source: CargoSource;
  /** The `source` string as recorded. */
  recordedSource: string;
  kind: 'runtime' | 'build';
  root: boolean;
  dependencies: number[];
}

export interface AuditableData {
  /** The format revision (0 when absent: data from `cargo metadata`). */
  format: number;
  packages: AuditablePackage[];
  /** Packages or fields that could not be read, one message each. */
  errors: string[];
}

const SOURCES: Record<string, CargoSource> = { 'crates.io': 'crates.io', local: 'path', git: 'git', registry: 'registry' };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}...` : s);
}

/** The section's JSON text. Throws for a section that is too large, not zlib, or inflates past the cap. */
export function inflateDepV0(section: Buffer): string {
  if (section.length > MAX_SECTION_BYTES) throw new AuditableDataError(`${DEP_V0_SECTION} section of ${section.length} bytes is larger than ${MAX_SECTION_BYTES}`, 'too-large');
  let json: Buffer;
  try {
    json = inflateSync(section, { maxOutputLength: MAX_JSON_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AuditableDataError(`${DEP_V0_SECTION} section inflates to more than ${MAX_JSON_BYTES} bytes`, 'too-large');
    }
    throw new AuditableDataError(`${DEP_V0_SECTION} section is not zlib data: ${(err as Error).message}`, 'corrupt');
  }
  try {
    return UTF8.decode(json);
  } catch {
    throw new AuditableDataError(`${DEP_V0_SECTION} JSON is not UTF-8`, 'corrupt');
  }
}

/** The packages of a `.dep-v0` JSON document. Throws when it is not JSON or has no `packages` array. */
export function parseDepV0Json(text: string): AuditableData {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AuditableDataError(`${DEP_V0_SECTION} is not JSON: ${(err as Error).message}`, 'corrupt');
  }
  if (!isObject(doc)) throw new AuditableDataError(`${DEP_V0_SECTION} JSON is not an object`, 'corrupt');
  if (!Array.isArray(doc.packages)) throw new AuditableDataError(`${DEP_V0_SECTION} JSON has no "packages" array`, 'corrupt');
  const out: AuditableData = { format: 0, packages: [], errors: [] };
  if (doc.format !== undefined) {
    if (typeof doc.format === 'number' && Number.isSafeInteger(doc.format) && doc.format >= 0) out.format = doc.format;
    else out.errors.push(`format ${shown(JSON.stringify(doc.format) ?? String(doc.format))} is not a format revision`);
  }
  let entries: unknown[] = doc.packages;
  if (entries.length > MAX_PACKAGES) {
    out.errors.push(`${entries.length} packages, more than ${MAX_PACKAGES}: the rest was not read`);
    entries = entries.slice(0, MAX_PACKAGES);
  }
  const total = doc.packages.length;
  entries.forEach((entry, index) => {
    const pkg = readPackage(entry, index, total, out.errors);
    if (pkg) out.packages.push(pkg);
  });
  const roots = out.packages.filter((p) => p.root);
  if (roots.length > 1) out.errors.push(`${roots.length} root packages (${roots.map((p) => p.name).join(', ')}); cargo auditable records one`);
  return out;
}

export function parseDepV0(section: Buffer): AuditableData {
  return parseDepV0Json(inflateDepV0(section));
}

function readPackage(entry: unknown, index: number, total: number, errors: string[]): AuditablePackage | undefined {
  const where = `package ${index}`;
  if (!isObject(entry)) {
    errors.push(`${where} is not an object`);
    return undefined;
  }
  const { name, version, source, kind, dependencies, root } = entry;
  if (typeof name !== 'string' || name === '') {
    errors.push(`${where} has no name`);
    return undefined;
  }
  if (!CRATE_NAME.test(name)) {
    errors.push(`${where}: invalid package name ${shown(name)}`);
    return undefined;
  }
  const bad = (what: string): undefined => {
    errors.push(`${where} (${name}): ${what}`);
    return undefined;
  };
  if (typeof version !== 'string' || version === '') return bad('no version');
  if (version.length > MAX_VERSION || !SEMVER.test(version)) return bad(`version ${shown(version)} is not a SemVer version`);
  if (typeof source !== 'string' || source === '') return bad('no source');
  if (source.length > MAX_SOURCE || CONTROL.test(source)) return bad(`invalid source ${shown(source)}`);
  if (kind !== undefined && kind !== 'runtime' && kind !== 'build') return bad(`kind ${shown(String(JSON.stringify(kind)))} is neither "runtime" nor "build"`);
  if (root !== undefined && typeof root !== 'boolean') return bad('"root" is not true or false');
  const deps: number[] = [];
  if (dependencies !== undefined) {
    if (!Array.isArray(dependencies)) return bad('"dependencies" is not an array');
    for (const d of dependencies) {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d >= total || d === index) return bad(`dependency ${shown(String(JSON.stringify(d)))} is not the index of another package`);
      deps.push(d);
    }
  }
  return {
    index,
    name,
    version,
    source: SOURCES[source] ?? 'registry',
    recordedSource: source,
    kind: kind === 'build' ? 'build' : 'runtime',
    root: root === true,
    dependencies: deps,
  };
}
