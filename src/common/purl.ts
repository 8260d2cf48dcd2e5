/**
 * Package URL (purl) formatting and parsing, canonical form of the purl specification:
 * lowercase type, percent-encoding of every character outside `A-Za-z0-9.-_~:`,
 * empty qualifiers dropped and qualifier keys sorted.
 */

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
  subpath?: string;
}

const ALL_SAFE = /^[A-Za-z0-9.\-_~:]*$/;

export function purlEncode(value: string): string {
  if (ALL_SAFE.test(value)) return value;
  // encodeURIComponent leaves `!'()*` alone and encodes `:`; the purl spec wants the opposite.
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * The purl types' own case rules (purl-spec PURL-TYPES): the types whose namespace,
 * and those whose name, are case-insensitive and written in lower case. A table of the
 * specification, not of Vigil's ecosystems, so an ecosystem added later whose type is
 * listed here needs nothing new.
 */
const LOWER_NAMESPACE: ReadonlySet<string> = new Set(['alpm', 'apk', 'bitbucket', 'composer', 'deb', 'github', 'hex', 'qpkg', 'rpm']);
const LOWER_NAME: ReadonlySet<string> = new Set(['alpm', 'apk', 'bitbucket', 'composer', 'deb', 'github', 'hex', 'oci', 'pub']);

/** Type-specific normalisation of names, as the purl types document requires. */
function normaliseName(type: string, name: string): string {
  // PyPI: lower case, and `-`, `_`, `.` runs as one `-` (PEP 503, which the spec's `_` → `-` rule follows).
  if (type === 'pypi') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return LOWER_NAME.has(type) ? name.toLowerCase() : name;
}

export function formatPurl(parts: PurlParts): string {
  const type = parts.type.toLowerCase();
  if (!parts.name) throw new Error('purl needs a name');
  let out = `pkg:${type}/`;
  if (parts.namespace) {
    const ns = LOWER_NAMESPACE.has(type) ? parts.namespace.toLowerCase() : parts.namespace;
    out += ns.split('/').filter(Boolean).map(purlEncode).join('/') + '/';
  }
  out += purlEncode(normaliseName(type, parts.name));
  if (parts.version !== undefined && parts.version !== '') out += '@' + purlEncode(parts.version);
  if (parts.qualifiers) {
    // Hand-rolled: purls are built once per component, thousands per scan.
    const keys = Object.keys(parts.qualifiers).sort();
    let sep = '?';
    for (const k of keys) {
      const v = parts.qualifiers[k];
      if (v === undefined || v === '') continue;
      out += `${sep}${k.toLowerCase()}=${purlEncode(v)}`;
      sep = '&';
    }
  }
  if (parts.subpath) out += '#' + parts.subpath.split('/').filter((s) => s && s !== '.' && s !== '..').map(purlEncode).join('/');
  return out;
}

export function parsePurl(purl: string): PurlParts {
  if (!purl.startsWith('pkg:')) throw new Error(`not a purl: ${purl}`);
  let rest = purl.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest.slice(hash + 1).split('/').map(decodeURIComponent).join('/');
    rest = rest.slice(0, hash);
  }
  let qualifiers: Record<string, string> | undefined;
  const qm = rest.indexOf('?');
  if (qm >= 0) {
    qualifiers = {};
    for (const pair of rest.slice(qm + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`bad purl qualifier: ${pair}`);
      qualifiers[pair.slice(0, eq).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1));
    }
    rest = rest.slice(0, qm);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    version = decodeURIComponent(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segs = rest.split('/').filter(Boolean);
  const type = segs.shift()?.toLowerCase();
  const name = segs.pop();
  if (!type || !name) throw new Error(`purl needs a type and a name: ${purl}`);
  const parts: PurlParts = { type, name: decodeURIComponent(name) };
  if (segs.length) parts.namespace = segs.map(decodeURIComponent).join('/');
  if (version !== undefined) parts.version = version;
  if (qualifiers) parts.qualifiers = qualifiers;
  if (subpath) parts.subpath = subpath;
  return parts;
}
