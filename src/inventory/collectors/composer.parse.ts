/**
 * Composer's records of a PHP project's packages: `composer.lock` (the resolved
 * `packages` and `packages-dev`) and `vendor/composer/installed.json` (what is installed:
 * a JSON array in Composer 1, `{"packages": [...], "dev-package-names": [...]}` in
 * Composer 2). Each package is `vendor/name` at a version as Composer prints it
 * (`v1.27.0`, `1.0.x-dev`, `dev-master`); platform packages (`php`, `ext-*`) are never
 * listed there.
 */
import { JsonFileError, isObject, parseJsonObject, quote } from './npm-package-json.parse.js';

export interface ComposerPackage {
  /** `vendor/name`, as written (Composer compares names case-insensitively). */
  name: string;
  version: string;
  /** From `packages-dev`, or named in `dev-package-names`; unknown for Composer 1's installed.json. */
  dev?: boolean;
  licenses: string[];
  /** `library`, `metapackage`, `composer-plugin`, `project`… */
  type?: string;
  /** The commit of a branch checkout (`dev-master`, `1.x-dev`): what the version alone does not say. */
  reference?: string;
}

export interface ComposerResult {
  packages: ComposerPackage[];
  errors: string[];
}

/** Composer's package name rule (ValidatingArrayLoader), case-insensitively: Composer itself only warns about capitals. */
const NAME = /^[a-z0-9](?:[_.-]?[a-z0-9]+)*\/[a-z0-9](?:(?:[_.]|-{1,2})?[a-z0-9]+)*$/i;
const MAX_NAME = 214;
/** Versions and branch names as Composer prints them (`dev-feature/x`); shell and control characters never. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+/-]{0,255}$/;
const REFERENCE = /^[0-9A-Za-z._-]{1,128}$/;
const MAX_LICENSES = 32;
const MAX_LICENSE = 256;

export function isComposerName(name: string): boolean {
  return name.length <= MAX_NAME && NAME.test(name);
}

function licenses(v: unknown): string[] {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  return list
    .slice(0, MAX_LICENSES)
    .filter((l): l is string => typeof l === 'string')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l.length <= MAX_LICENSE && !/[\u0000-\u001f\u007f]/.test(l));
}

function reference(entry: Record<string, unknown>): string | undefined {
  for (const field of ['source', 'dist']) {
    const r = isObject(entry[field]) ? (entry[field] as Record<string, unknown>).reference : undefined;
    if (typeof r === 'string' && REFERENCE.test(r)) return r;
  }
  return undefined;
}

function readPackage(entry: unknown, where: string, errors: string[]): ComposerPackage | undefined {
  if (!isObject(entry)) return void errors.push(`${where} is not an object`);
  const { name, version } = entry;
  if (typeof name !== 'string' || name === '') return void errors.push(`${where} has no name`);
  if (!isComposerName(name)) return void errors.push(`${where}: invalid package name ${quote(name)}`);
  if (typeof version !== 'string' || version === '') return void errors.push(`${where} (${name}) has no version`);
  if (!VERSION.test(version)) return void errors.push(`${where} (${name}): invalid version ${quote(version)}`);
  const pkg: ComposerPackage = { name, version, licenses: licenses(entry.license) };
  if (typeof entry.type === 'string' && /^[a-z0-9-]{1,64}$/i.test(entry.type)) pkg.type = entry.type;
  if (/^dev-|-dev$/i.test(version)) {
    const ref = reference(entry);
    if (ref) pkg.reference = ref;
  }
  return pkg;
}

function readList(list: unknown, field: string, dev: ((name: string) => boolean) | undefined, out: ComposerResult): void {
  if (!Array.isArray(list)) throw new Error(`"${field}" is not a list`);
  list.forEach((entry, i) => {
    const pkg = readPackage(entry, `${field}[${i}]`, out.errors);
    if (!pkg) return;
    if (dev) pkg.dev = dev(pkg.name);
    out.packages.push(pkg);
  });
}

function sorted(out: ComposerResult): ComposerResult {
  out.packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return out;
}

/** Throws JsonFileError when the file is not a JSON object, Error when it lists no packages; a bad entry is an error and skipped. */
export function parseComposerLock(text: string): ComposerResult {
  const doc = parseJsonObject(text, 'composer.lock');
  if (doc.packages === undefined && doc['packages-dev'] === undefined) throw new Error('composer.lock has neither "packages" nor "packages-dev"');
  const out: ComposerResult = { packages: [], errors: [] };
  if (doc.packages !== undefined) readList(doc.packages, 'packages', () => false, out);
  if (doc['packages-dev'] !== undefined) readList(doc['packages-dev'], 'packages-dev', () => true, out);
  return sorted(out);
}

/** Throws JsonFileError when the file is not JSON, Error when it is neither of Composer's installed.json forms. */
export function parseComposerInstalled(text: string): ComposerResult {
  let doc: unknown;
  if (text.trimStart().startsWith('[')) {
    try {
      doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      const msg = (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f]+/g, ' ');
      throw new JsonFileError(`installed.json is not valid JSON: ${msg.length > 160 ? msg.slice(0, 160) + '...' : msg}`);
    }
  } else {
    doc = parseJsonObject(text, 'installed.json');
  }
  const out: ComposerResult = { packages: [], errors: [] };
  // Composer 1: the list itself, with no word on which packages are dev ones.
  if (Array.isArray(doc)) {
    readList(doc, 'packages', undefined, out);
    return sorted(out);
  }
  const obj = doc as Record<string, unknown>;
  if (obj.packages === undefined) throw new Error('installed.json has no "packages"');
  const devNames = Array.isArray(obj['dev-package-names']) ? new Set(obj['dev-package-names'].filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase())) : undefined;
  readList(obj.packages, 'packages', devNames ? (name) => devNames.has(name.toLowerCase()) : undefined, out);
  return sorted(out);
}
