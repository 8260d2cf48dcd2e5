/**
 * pacman's local database (`/var/lib/pacman/local`): one directory per installed
 * package, named `NAME-VERSION` (VERSION is `[epoch:]pkgver-pkgrel`), holding `desc`
 * (the package's fields) and `files` (the paths it owns). Both files are sections of a
 * `%KEY%` line followed by one value a line, ended by a blank line, as libalpm's
 * be_local.c writes and reads them.
 *
 * pacman takes a package's name and version from its directory name (`_alpm_splitname`:
 * the version is what follows the second-last `-`) and reads `desc` only for the rest;
 * a `desc` whose `%NAME%` or `%VERSION%` differs is "inconsistent" to pacman, which
 * still lists the package under its directory's name. Vigil does the same.
 */

export interface DescFields {
  /** Every `%KEY%` section and its values, in file order (a key given twice keeps the last). */
  sections: Map<string, string[]>;
  errors: string[];
}

export interface EntryName {
  name: string;
  version: string;
}

/** makepkg's pkgname rule (lint_pkgbuild/pkgname.sh): alphanumerics and `@._+-`, not starting with `-` or `.`. */
export const PACMAN_NAME_RE = /^[A-Za-z0-9@_+][A-Za-z0-9@._+-]*$/;
/** An architecture as makepkg writes it (`x86_64`, `aarch64`, `any`, `pentium4`). */
export const PACMAN_ARCH_RE = /^[A-Za-z0-9_]+$/;
const MAX_NAME = 256;
/** Values kept per section, and characters per value: a real `desc` has a few dozen of each. */
const MAX_VALUES = 4096;
const MAX_VALUE_LENGTH = 8192;
const KEY_RE = /^%[A-Z0-9_]{1,32}%$/;

/**
 * `_alpm_splitname` on a directory name: the name is what precedes the second-last
 * `-`, the version what follows it. Undefined where pacman reports "invalid name for
 * database entry" (fewer than two `-`, or an empty name).
 */
export function splitEntryName(entry: string): EntryName | undefined {
  const rel = entry.lastIndexOf('-');
  if (rel <= 0) return undefined;
  const ver = entry.lastIndexOf('-', rel - 1);
  if (ver <= 0) return undefined;
  return { name: entry.slice(0, ver), version: entry.slice(ver + 1) };
}

function shown(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/** Why a package name from the database is not one makepkg writes (so Vigil will not report it), or undefined. */
export function nameError(name: string): string | undefined {
  if (name.length > MAX_NAME) return `package name longer than ${MAX_NAME} characters`;
  if (!PACMAN_NAME_RE.test(name)) return `package name ${shown(name)} has characters makepkg does not allow`;
  return undefined;
}

/**
 * The sections of a `desc` (or `files`) file. A value line before any key, a key
 * without a value, binary data, and over-long or too many values are reported, and
 * the rest of the file is still read.
 */
export function parseSections(text: string, file = 'desc'): DescFields {
  const sections = new Map<string, string[]>();
  const errors: string[] = [];
  if (text.includes('\0')) {
    errors.push(`${file} holds binary data (a NUL byte at offset ${text.indexOf('\0')})`);
    return { sections, errors };
  }
  let key: string | undefined;
  let values: string[] = [];
  let dropped = 0;
  let orphan = 0;
  const close = (line: number) => {
    if (key === undefined) return;
    if (values.length === 0) errors.push(`line ${line}: ${key} has no value`);
    if (dropped > 0) errors.push(`${key}: ${dropped} values over the limit of ${MAX_VALUES} not read`);
    sections.set(key, values);
    key = undefined;
    values = [];
    dropped = 0;
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line === '') {
      close(i + 1);
      continue;
    }
    if (key === undefined) {
      if (KEY_RE.test(line)) key = line;
      else if (orphan++ === 0) errors.push(`line ${i + 1}: ${shown(line)} is neither a %KEY% line nor a value of one`);
      continue;
    }
    if (line.length > MAX_VALUE_LENGTH) errors.push(`line ${i + 1}: a value of ${key} longer than ${MAX_VALUE_LENGTH} characters`);
    else if (values.length >= MAX_VALUES) dropped++;
    else values.push(line);
  }
  close(lines.length);
  if (orphan > 1) errors.push(`${orphan - 1} more lines outside any %KEY% section`);
  return { sections, errors };
}

/**
 * Why a version from the database is not read, or undefined: pacman orders any
 * string, but no package makepkg builds has one over 256 characters, outside printable
 * ASCII, or with whitespace or the characters a shell acts on.
 */
export function versionError(version: string): string | undefined {
  if (version.length > 256) return 'version longer than 256 characters';
  const bad = /[^\x21-\x7e]|["$&'();<>\\`|]/.exec(version);
  if (bad) return `version ${shown(version)} contains ${JSON.stringify(bad[0])} at offset ${bad.index}, which no Arch package carries`;
  return undefined;
}

/** The single value of a section, when it has exactly one. */
export function single(fields: DescFields, key: string): string | undefined {
  const v = fields.sections.get(key);
  return v && v.length === 1 ? v[0] : undefined;
}

/**
 * The paths a package owns, from `files`' `%FILES%` section (relative, directories
 * ending in `/`): files only, as root-relative absolute paths. `..` components and
 * absolute entries are dropped: pacman never writes them.
 */
export function ownedFiles(text: string): string[] {
  const start = text.startsWith('%FILES%\n') ? 0 : text.indexOf('\n%FILES%\n');
  if (start < 0) return [];
  const out: string[] = [];
  let pos = text.indexOf('\n', start + 1) + 1;
  while (pos > 0 && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const p = text.slice(pos, end);
    pos = end + 1;
    if (p === '') break;
    if (p.endsWith('/') || p.startsWith('/') || p.includes('\0') || /(^|\/)\.\.(\/|$)/.test(p)) continue;
    out.push('/' + p);
  }
  return out;
}
