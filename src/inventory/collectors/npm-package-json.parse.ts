/**
 * npm package manifests (`package.json`) as installed under `node_modules/`, plus the
 * npm rules the lockfile reader shares: package names, licence field shapes, purls.
 */
import { formatPurl } from '../../common/purl.js';

export interface NpmManifest {
  name?: string;
  version?: string;
  licenses: string[];
  private: boolean;
}

const MAX_NAME = 214;
const MAX_VERSION = 256;
const MAX_LICENSE = 256;
/** Characters encodeURIComponent leaves alone: what npm allows in a name segment. */
const NAME_SEGMENT_RE = /^[A-Za-z0-9\-_.!~*'()]+$/;
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
const VERSION_RE = /^[^\s\u0000-\u001f\u007f]+$/u;

/**
 * npm's name rules, legacy upper-case names allowed. Anything else in a lockfile key
 * or a manifest is hostile or broken: these names end up in paths, purls and reports.
 */
export function isValidNpmName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME) return false;
  let segments: string[];
  if (name.startsWith('@')) {
    segments = name.slice(1).split('/');
    if (segments.length !== 2) return false;
  } else {
    segments = [name];
  }
  return segments.every((s) => NAME_SEGMENT_RE.test(s) && !s.startsWith('.') && !s.startsWith('_'));
}

/**
 * Versions are kept as written (lockfile v1 has `git+https://...#sha` and `file:`
 * versions), but never with whitespace or control characters and never unbounded.
 */
export function isPlausibleVersion(version: string): boolean {
  return version.length <= MAX_VERSION && VERSION_RE.test(version);
}

/**
 * The `license` field as npm has accepted it over the years: an SPDX expression, a
 * `{type, url}` object, an array of either; and the deprecated `licenses` array.
 * An SPDX expression stays one entry, never split.
 */
export function npmLicenses(license: unknown, licenses?: unknown): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string') {
      const t = v.trim();
      if (t && t.length <= MAX_LICENSE && !CONTROL_RE.test(t)) out.push(t);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      add((v as { type?: unknown }).type);
    }
  };
  for (const field of [license, licenses]) {
    if (Array.isArray(field)) field.slice(0, 32).forEach(add);
    else add(field);
  }
  return [...new Set(out)];
}

/** `pkg:npm/%40scope/name@version`: the scope is the purl namespace. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0
    ? formatPurl({ type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version })
    : formatPurl({ type: 'npm', name, version });
}

export class JsonFileError extends Error {}

/**
 * JSON.parse with a message fit for a problem report: V8 quotes the offending input,
 * which for a hostile or binary file means control characters and megabytes of text.
 */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f]+/g, ' ');
    throw new JsonFileError(`${what} is not valid JSON: ${msg.length > 160 ? msg.slice(0, 160) + '...' : msg}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new JsonFileError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A name or key quoted for a problem message: escaped and cut short. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 120 ? s.slice(0, 120) + '...' : s);
}

export function parseNpmManifest(text: string): NpmManifest {
  const doc = parseJsonObject(text, 'package.json');
  const m: NpmManifest = { licenses: npmLicenses(doc.license, doc.licenses), private: doc.private === true };
  if (typeof doc.name === 'string') m.name = doc.name;
  if (typeof doc.version === 'string') m.version = doc.version;
  return m;
}
