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

export function parseDpkgStatus(text: string): DpkgParseResult {
  const records: DpkgRecord[] = [];
  const errors: StanzaError[] = [];
  let stanzas = 0;
  let vals: (string | undefined)[] = [];
  let stanzaLine = 0;
  let inStanza = false;
  let bad: string | undefined;
  let lastField: F | -1 = -1;

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

  let pos = 0;
  let lineNo = 0;
  const n = text.length;
  while (pos <= n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length === 0 || /^\s*$/.test(line)) {
      finish();
      if (end === n) break;
      continue;
    }
    const c = line.charCodeAt(0);
    if (line.includes('\0')) {
      if (!inStanza) {
        inStanza = true;
        stanzaLine = lineNo;
      }
      bad ??= `line ${lineNo}: binary data`;
      if (end === n) break;
      continue;
    }
    if (c === 0x20 || c === 0x09) {
      // Continuation: only the fields we keep whole matter, and none of them is multi-line.
      if (!inStanza) bad ??= `line ${lineNo}: continuation line outside a stanza`;
      else if (lastField === F.Package || lastField === F.Version) bad ??= `line ${lineNo}: continuation of a single-line field`;
      if (end === n) break;
      continue;
    }
    if (c === 0x23 /* # */ && !inStanza) {
      if (end === n) break;
      continue;
    }
    if (!inStanza) {
      inStanza = true;
      stanzaLine = lineNo;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      bad ??= `line ${lineNo}: field name ${JSON.stringify(line.slice(0, 40))} must be followed by a colon`;
      lastField = -1;
    } else {
      const key = line.slice(0, colon).toLowerCase();
      const f = FIELDS[key];
      lastField = f ?? -1;
      if (f !== undefined) {
        const value = line.slice(colon + 1).trim();
        if (value.length > FIELD_MAX) bad ??= `line ${lineNo}: ${key} field longer than ${FIELD_MAX} bytes`;
        else if (vals[f] !== undefined) bad ??= `line ${lineNo}: duplicate ${key} field`;
        else vals[f] = value;
      }
    }
    if (end === n) break;
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
