/**
 * dpkg control-data parsing (`/var/lib/dpkg/status` and `status.d/*`): RFC 822 style
 * stanzas separated by blank lines, continuation lines starting with a space or
 * tab. Only the fields Vigil needs are kept. A bad stanza is reported and skipped;
 * the stanzas around it are still read (dpkg itself would refuse the whole file).
 */

export interface DpkgRecord {
  name: string;
  version: string;
  arch?: string;
  /** Full `Status:` value ("install ok installed"), absent in distroless entries. */
  status?: string;
  /** Source package name, from `Source:`; absent when it equals the package name. */
  source?: string;
  /** Source version from `Source: name (version)`, when it differs. */
  sourceVersion?: string;
  installedSizeKib?: number;
  maintainer?: string;
  multiArch?: string;
  /** 1-based line of the stanza's first line. */
  line: number;
}

export interface StanzaError {
  line: number;
  message: string;
}

export interface DpkgParseResult {
  records: DpkgRecord[];
  errors: StanzaError[];
  stanzas: number;
}

/** dpkg's package name grammar (lib/dpkg/parse.c: pkg_name_is_illegal). */
export const DPKG_NAME_RE = /^[a-z0-9][a-z0-9+.-]*$/;
/** Versions: optional numeric epoch, then no whitespace or control characters. */
const DPKG_VERSION_RE = /^(?:[0-9]+:)?[A-Za-z0-9.+~:-]+$/;
const FIELD_MAX = 64 * 1024;

const enum F {
  Package,
  Version,
  Architecture,
  Status,
  Source,
  InstalledSize,
  Maintainer,
  MultiArch,
}

const FIELDS: Record<string, F> = {
  package: F.Package,
  version: F.Version,
  architecture: F.Architecture,
  status: F.Status,
  source: F.Source,
  'installed-size': F.InstalledSize,
  maintainer: F.Maintainer,
  'multi-arch': F.MultiArch,
};

const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-cased first letters of the fields kept: any other line is skipped unread. */
const FIRST_LETTERS = new Set(['p', 'v', 'a', 's', 'i', 'm'].map((c) => c.charCodeAt(0)));
const KEYS: Record<F, string> = Object.fromEntries(Object.entries(FIELDS).map(([k, v]) => [v, k])) as Record<F, string>;
const KEY_LENGTHS = new Set(Object.keys(FIELDS).map((k) => k.length));

/**
 * The kept field a line names, if any. dpkg writes canonical case, so exact
 * comparisons in place come first; only a line whose key has a kept field's length
 * and first letter is lower-cased and looked up, since field names are
 * case-insensitive.
 */
function fieldAt(text: string, start: number, colon: number, first: number): F | undefined {
  const len = colon - start;
  switch (len) {
    case 7:
      if (text.startsWith('Package', start)) return F.Package;
      if (text.startsWith('Version', start)) return F.Version;
      if (text.startsWith('Section', start) || text.startsWith('Depends', start)) return undefined;
      break;
    case 6:
      if (text.startsWith('Status', start)) return F.Status;
      if (text.startsWith('Source', start)) return F.Source;
      break;
    case 12:
      if (text.startsWith('Architecture', start)) return F.Architecture;
      break;
    case 10:
      if (text.startsWith('Maintainer', start)) return F.Maintainer;
      if (text.startsWith('Multi-Arch', start)) return F.MultiArch;
      break;
    case 14:
      if (text.startsWith('Installed-Size', start)) return F.InstalledSize;
      break;
    default:
      return undefined;
  }
  if (!KEY_LENGTHS.has(len) || !FIRST_LETTERS.has(first | 0x20)) return undefined;
  return FIELDS[text.slice(start, colon).toLowerCase()];
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/**
 * Index-based on purpose: a status file is mostly description continuation lines
 * and fields Vigil ignores, so lines are skipped by their first character and only
 * kept values are sliced. This is what keeps collecting faster than `dpkg-query -W`.
 */
export function parseDpkgStatus(input: string | Uint8Array): DpkgParseResult {
  // Bytes are read as latin1 (one char per byte, no validation: several times faster
  // than UTF-8 for a file that is mostly skipped); kept values that are not ASCII are
  // decoded as the UTF-8 they are.
  const fromBytes = typeof input !== 'string';
  const text = fromBytes ? Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1') : input;
  const records: DpkgRecord[] = [];
  const errors: StanzaError[] = [];
  let stanzas = 0;
  let vals: (string | undefined)[] = [];
  let stanzaLine = 0;
  let inStanza = false;
  let bad: string | undefined;
  let lastField: F | -1 = -1;
  const firstNul = text.indexOf('\0');

  const finish = () => {
    if (!inStanza) return;
    stanzas++;
    const rec = bad ? undefined : toRecord(vals, stanzaLine, errors);
    if (bad) errors.push({ line: stanzaLine, message: bad });
    if (rec) records.push(rec);
    vals = [];
    inStanza = false;
    bad = undefined;
    lastField = -1;
  };
  const begin = (lineNo: number) => {
    if (!inStanza) {
      inStanza = true;
      stanzaLine = lineNo;
    }
  };

  const n = text.length;
  let pos = 0;
  let lineNo = 0;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    const lineStart = pos;
    pos = end + 1;
    const c = text.charCodeAt(lineStart);
    if (lineEnd === lineStart || ((c === 0x20 || c === 0x09) && isBlank(text, lineStart, lineEnd))) {
      finish();
      continue;
    }
    if (firstNul >= 0 && firstNul < lineEnd && text.indexOf('\0', lineStart) < lineEnd) {
      begin(lineNo);
      bad ??= `line ${lineNo}: binary data`;
      continue;
    }
    if (c === 0x20 || c === 0x09) {
      // Continuation: only the fields we keep whole matter, and none of them is multi-line.
      if (!inStanza) bad ??= `line ${lineNo}: continuation line outside a stanza`;
      else if (lastField === F.Package || lastField === F.Version) bad ??= `line ${lineNo}: continuation of a single-line field`;
      continue;
    }
    if (c === 0x23 /* # */ && !inStanza) continue;
    begin(lineNo);
    const colon = text.indexOf(':', lineStart);
    if (colon <= lineStart || colon >= lineEnd) {
      bad ??= `line ${lineNo}: field name ${JSON.stringify(text.slice(lineStart, Math.min(lineEnd, lineStart + 40)))} must be followed by a colon`;
      lastField = -1;
      continue;
    }
    const f = fieldAt(text, lineStart, colon, c);
    lastField = f ?? -1;
    if (f === undefined) continue;
    const key = KEYS[f];
    if (lineEnd - colon > FIELD_MAX) {
      bad ??= `line ${lineNo}: ${key} field longer than ${FIELD_MAX} bytes`;
      continue;
    }
    let value = text.slice(colon + 1, lineEnd).trim();
    if (fromBytes && NON_ASCII.test(value)) value = Buffer.from(value, 'latin1').toString('utf8');
    if (vals[f] !== undefined) bad ??= `line ${lineNo}: duplicate ${key} field`;
    else vals[f] = value;
  }
  finish();
  return { records, errors, stanzas };
}

function toRecord(vals: (string | undefined)[], line: number, errors: StanzaError[]): DpkgRecord | undefined {
  const name = vals[F.Package];
  const version = vals[F.Version];
  if (!name) {
    errors.push({ line, message: `line ${line}: stanza without a package name` });
    return undefined;
  }
  if (!DPKG_NAME_RE.test(name) || name.length > 256) {
    errors.push({ line, message: `line ${line}: invalid package name ${JSON.stringify(name.slice(0, 80))}` });
    return undefined;
  }
  if (!version) {
    errors.push({ line, message: `line ${line}: package ${name} has no version` });
    return undefined;
  }
  if (!DPKG_VERSION_RE.test(version) || version.length > 256) {
    errors.push({ line, message: `line ${line}: package ${name} has an invalid version ${JSON.stringify(version.slice(0, 80))}` });
    return undefined;
  }
  const rec: DpkgRecord = { name, version, line };
  const arch = vals[F.Architecture];
  if (arch) rec.arch = arch;
  const status = vals[F.Status];
  if (status !== undefined) rec.status = status.replace(/\s+/g, ' ');
  const source = vals[F.Source];
  if (source) {
    const m = /^([^\s(]+)\s*(?:\(\s*([^\s)]+)\s*\))?$/.exec(source);
    if (!m || !DPKG_NAME_RE.test(m[1]!) || (m[2] !== undefined && !DPKG_VERSION_RE.test(m[2]))) {
      errors.push({ line, message: `line ${line}: package ${name} has an invalid Source field ${JSON.stringify(source.slice(0, 80))}` });
      return undefined;
    }
    if (m[1] !== name) rec.source = m[1]!;
    if (m[2] !== undefined && m[2] !== version) {
      rec.source = m[1]!;
      rec.sourceVersion = m[2];
    }
  }
  const size = vals[F.InstalledSize];
  if (size && /^[0-9]{1,12}$/.test(size)) rec.installedSizeKib = Number(size);
  if (vals[F.Maintainer]) rec.maintainer = vals[F.Maintainer]!.slice(0, 512);
  if (vals[F.MultiArch]) rec.multiArch = vals[F.MultiArch]!;
  return rec;
}

/**
 * Whether dpkg considers the package installed: the third word of Status is
 * `installed`. Distroless `status.d` entries carry no Status and only describe
 * installed packages, so the caller decides what a missing Status means.
 */
export function isInstalled(rec: DpkgRecord, missingStatusMeansInstalled: boolean): boolean {
  if (rec.status === undefined) return missingStatusMeansInstalled;
  return rec.status.split(' ')[2] === 'installed';
}
