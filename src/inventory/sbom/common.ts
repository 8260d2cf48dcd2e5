/**
 * What the three SBOM writers share: one normalised, sorted view of an inventory, the
 * content hash that names a document, and the identifiers derived from it. Renderers never
 * read the clock: the only timestamp is `inv.scannedAt`, so the same inventory renders to
 * the same bytes and two scans of an unchanged root differ only on timestamp lines.
 */
import { createHash } from 'node:crypto';
import type { Component, Inventory, ListeningPort, Problem } from '../../common/model.js';

/** Code-unit order: locale-independent, so output does not depend on the machine's ICU data. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

/** JSON with object keys sorted at every depth; arrays keep their order. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(compareStrings)) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  }, indent);
}

/** The rendered document: 2-space indentation and a trailing newline, as files in a repository expect. */
export function documentText(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export function compareComponents(a: Component, b: Component): number {
  return (
    compareStrings(a.purl, b.purl) ||
    compareLists(a.locations, b.locations) ||
    // Identical purl and locations should not happen; the full record still fixes their order.
    compareStrings(canonicalJson(a), canonicalJson(b))
  );
}

function comparePorts(a: ListeningPort, b: ListeningPort): number {
  return (
    compareStrings(a.protocol, b.protocol) ||
    compareStrings(a.address, b.address) ||
    a.port - b.port ||
    a.inode - b.inode ||
    compareStrings(canonicalJson(a), canonicalJson(b))
  );
}

function compareProblems(a: Problem, b: Problem): number {
  return (
    compareStrings(a.collector, b.collector) ||
    compareStrings(a.path, b.path) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

/**
 * A copy of the inventory with every order-free list sorted, so that collector scheduling
 * never shows in the output. Lists whose order means something (`os.idLike`, a component's
 * licenses and metadata lists) are left as they are.
 */
export function normaliseInventory(inv: Inventory): Inventory {
  const out: Inventory = {
    ...inv,
    components: inv.components
      .map((c) => ({ ...c, locations: [...c.locations].sort(compareStrings) }))
      .sort(compareComponents),
    problems: [...inv.problems].sort(compareProblems),
  };
  if (inv.ports) out.ports = [...inv.ports].sort(comparePorts);
  if (inv.kernel) out.kernel = { ...inv.kernel, installed: [...inv.kernel.installed].sort(compareStrings) };
  if (inv.host) out.host = { ...inv.host, addresses: [...inv.host.addresses].sort(compareStrings) };
  return out;
}

/** SHA-256 of the normalised inventory without its timestamp: what names a document. */
export function contentHash(inv: Inventory): string {
  const { scannedAt: _ignored, ...rest } = normaliseInventory(inv);
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * A UUID derived from a SHA-256 hex digest: RFC 9562 version 8 (custom), the layout its
 * appendix uses for SHA-256 name-based UUIDs. Same content, same serial number.
 */
export function uuidFromHash(hex: string): string {
  const b = Buffer.from(hex.slice(0, 32), 'hex');
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

/** Identity of a component within one inventory (DESIGN.md: purl + location). */
export function componentKey(c: Component): string {
  return shortHash(c.purl, ...c.locations);
}

/**
 * Gives each item a unique id: the base id, then `-2`, `-3`... for repeats. Callers pass
 * items in their final sorted order, so the suffixes are stable too.
 */
export function uniqueIds<T>(items: readonly T[], base: (item: T) => string): Map<T, string> {
  const seen = new Map<string, number>();
  const out = new Map<T, string>();
  for (const item of items) {
    const id = base(item);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    out.set(item, n === 1 ? id : `${id}-${n}`);
  }
  return out;
}

/**
 * The version as the ecosystem's tools print it. rpm keeps epoch and release apart in the
 * model; like Syft (which Grype reads) an SBOM carries `[epoch:]version-release`, with an
 * explicit epoch 0 kept because the database recorded it.
 */
export function displayVersion(c: Component): string {
  let v = c.version;
  if (c.ecosystem !== 'rpm') return v;
  if (c.release && !v.endsWith(`-${c.release}`)) v = `${v}-${c.release}`;
  if (c.epoch !== undefined && !/^\d+:/.test(v)) v = `${c.epoch}:${v}`;
  return v;
}

/**
 * `scannedAt` as `YYYY-MM-DDThh:mm:ssZ`: SPDX 2.3 requires exactly this form, and CycloneDX
 * gets the same so both documents of one scan agree. An unparsable value is passed through.
 */
export function timestamp(inv: Inventory): string {
  const t = Date.parse(inv.scannedAt);
  return Number.isNaN(t) ? inv.scannedAt : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Property names compare segment by segment, numbers numerically: `…:2:path` before `…:10:path`. */
export function comparePropertyNames(a: string, b: string): number {
  return comparePropertyNameParts(a.split(':'), b.split(':'));
}

/** comparePropertyNames on names already split at their colons. */
export function comparePropertyNameParts(as: readonly string[], bs: readonly string[]): number {
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y) || compareStrings(x, y);
    return compareStrings(x, y);
  }
  return as.length - bs.length;
}

/** Control characters (newlines included) would break one-line fields such as SPDX's `supplier`. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** Splits `Name <email>` as Debian, apk and npm write people; the email only when it looks like one. */
export function parsePerson(s: string): { name: string; email?: string } {
  const m = /^(.*?)\s*<([^<>\s]+)>\s*$/.exec(s);
  if (m && /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(m[2]!)) {
    const name = oneLine(m[1]!);
    return name ? { name, email: m[2]! } : { name: m[2]!, email: m[2]! };
  }
  return { name: oneLine(s) };
}

/** Who supplied a component, from collector metadata: rpm's vendor, else the packager (deb/apk maintainer). */
export function supplierOf(c: Component): { kind: 'Organization' | 'Person'; name: string; email?: string } | undefined {
  const meta = c.metadata ?? {};
  const vendor = meta['vendor'];
  if (typeof vendor === 'string' && oneLine(vendor)) return { kind: 'Organization', ...parsePerson(vendor) };
  const maintainer = meta['maintainer'];
  if (typeof maintainer === 'string' && oneLine(maintainer)) return { kind: 'Person', ...parsePerson(maintainer) };
  return undefined;
}

/** Who wrote a component, when the ecosystem records it (npm, PyPI `author`). */
export function authorOf(c: Component): { name: string; email?: string } | undefined {
  const author = c.metadata?.['author'];
  return typeof author === 'string' && oneLine(author) ? parsePerson(author) : undefined;
}
