/**
 * Python core metadata (`*.dist-info/METADATA`, `PKG-INFO`, `*.egg-info` files): RFC 822
 * style headers up to the first blank line, the description after it. Header reading
 * follows Python's own `email.parser` (compat32), which is what pip and
 * importlib.metadata use, so values come out exactly as Python sees them, untrimmed.
 */

export interface PythonMetadata {
  name?: string;
  version?: string;
  metadataVersion?: string;
  /** The free-text `License` header, which may be a whole licence text. */
  license?: string;
  /** `License-Expression` (metadata 2.4): an SPDX expression. */
  licenseExpression?: string;
  /** `License :: ...` trove classifiers, whole. */
  licenseClassifiers: string[];
  requiresDist: string[];
}

/** A header line as email.parser's feedparser recognises one; anything else ends the headers. */
const HEADER_RE = /^(From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;

/** Headers in file order, names as written, values as email.parser's compat32 policy returns them. */
export function parseHeaders(text: string): Array<[string, string]> {
  const lines = text.split(/\r\n|\r|\n/);
  const headerLines: string[] = [];
  for (const line of lines) {
    if (!HEADER_RE.test(line)) break;
    headerLines.push(line);
  }
  const out: Array<[string, string]> = [];
  let name: string | undefined;
  let value: string[] = [];
  const flush = (): void => {
    if (name !== undefined) out.push([name, value.join('\n').replace(/[\r\n]+$/, '')]);
    name = undefined;
    value = [];
  };
  for (let i = 0; i < headerLines.length; i++) {
    const line = headerLines[i]!;
    if (line[0] === ' ' || line[0] === '\t') {
      // A continuation before any header is a defect Python drops.
      if (name !== undefined) value.push(line);
      continue;
    }
    flush();
    if (line.startsWith('From ')) continue; // a Unix mbox envelope line, not a header
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // "Missing header name" defect
    name = line.slice(0, colon);
    value = [line.slice(colon + 1).replace(/^[ \t]+/, '')];
  }
  flush();
  return out;
}

export function parsePythonMetadata(text: string): PythonMetadata {
  const headers = parseHeaders(text);
  const first = (key: string): string | undefined => headers.find(([k]) => k.toLowerCase() === key)?.[1];
  const all = (key: string): string[] => headers.filter(([k]) => k.toLowerCase() === key).map(([, v]) => v);
  const md: PythonMetadata = {
    licenseClassifiers: all('classifier').filter((c) => /^License\s*::/.test(c)),
    requiresDist: all('requires-dist'),
  };
  const set = (field: 'name' | 'version' | 'metadataVersion' | 'license' | 'licenseExpression', key: string): void => {
    const v = first(key);
    if (v !== undefined) md[field] = v;
  };
  set('name', 'name');
  set('version', 'version');
  set('metadataVersion', 'metadata-version');
  set('license', 'license');
  set('licenseExpression', 'license-expression');
  return md;
}

/** PEP 508 distribution names: what pip would accept, so never a path or a shell fragment. */
export const PYTHON_NAME_RE = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;

/**
 * Licences for the inventory: the SPDX `License-Expression` when present, else a short
 * one-line `License` header (many hold a whole licence text, or `UNKNOWN`), else the
 * licence names of `License :: OSI Approved :: X` classifiers. The classifier fallback
 * is how most wheels built before metadata 2.4 state their licence at all.
 */
export function pythonLicenses(md: PythonMetadata): string[] {
  const expr = md.licenseExpression?.trim();
  if (expr && !expr.includes('\n')) return [expr];
  const lic = md.license?.trim();
  if (lic && lic.length <= 128 && !/[\r\n]/.test(lic) && !/^unknown$/i.test(lic)) return [lic];
  const names = md.licenseClassifiers
    .map((c) => c.split('::').pop()!.trim())
    .filter((n) => n !== '' && n !== 'OSI Approved' && n.length <= 128);
  return [...new Set(names)];
}
