/**
 * License strings as collectors find them (`GPL-2.0+`, `MIT OR Apache-2.0`, `BSD License`,
 * `mit`) sorted into what each SBOM format can carry: a listed SPDX id, a valid SPDX
 * expression, or free text. Only ids on the shipped SPDX list count as ids, so a document
 * never claims an SPDX id that validators reject.
 */
import { compareStrings } from './common.js';
import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from './spdx-license-list.js';

export type LicenseNode =
  | { kind: 'license'; id: string; plus: boolean; exception?: string }
  | { kind: 'and' | 'or'; left: LicenseNode; right: LicenseNode };

const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

/** A listed license id (canonical case) or a `LicenseRef-`; `+` handled by the caller. */
function licenseTerm(word: string): string | undefined {
  const listed = SPDX_LICENSE_IDS.get(word.toLowerCase());
  if (listed) return listed;
  return LICENSE_REF.test(word) ? word : undefined;
}

function tokenize(s: string): string[] {
  return s.replace(/[()]/g, ' $& ').split(/\s+/).filter(Boolean);
}

/**
 * Parses an SPDX license expression (SPDX 2.3 Annex D). Operators are accepted in any case
 * because real metadata writes `MIT or Apache-2.0`; the output always uses upper case.
 */
export function parseLicenseExpression(s: string): LicenseNode | undefined {
  const tokens = tokenize(s);
  let pos = 0;
  const peekOp = (): string | undefined => tokens[pos]?.toUpperCase();

  const simple = (): LicenseNode | undefined => {
    const tok = tokens[pos];
    if (tok === undefined || tok === '(' || tok === ')' || ['AND', 'OR', 'WITH'].includes(tok.toUpperCase())) return undefined;
    pos++;
    // Deprecated ids such as `GPL-2.0+` are listed as such; prefer the literal match.
    let id = licenseTerm(tok);
    let plus = false;
    if (!id && tok.endsWith('+')) {
      id = licenseTerm(tok.slice(0, -1));
      plus = id !== undefined && !id.startsWith('LicenseRef-');
      if (!plus) id = undefined;
    }
    if (!id) return undefined;
    const node: LicenseNode = { kind: 'license', id, plus };
    if (peekOp() === 'WITH') {
      pos++;
      const exception = tokens[pos] !== undefined ? SPDX_EXCEPTION_IDS.get(tokens[pos]!.toLowerCase()) : undefined;
      if (!exception) return undefined;
      pos++;
      node.exception = exception;
    }
    return node;
  };

  const primary = (): LicenseNode | undefined => {
    if (tokens[pos] !== '(') return simple();
    pos++;
    const inner = or();
    if (!inner || tokens[pos] !== ')') return undefined;
    pos++;
    return inner;
  };

  // AND binds tighter than OR (Annex D.4).
  const and = (): LicenseNode | undefined => {
    let left = primary();
    while (left && peekOp() === 'AND') {
      pos++;
      const right = primary();
      left = right ? { kind: 'and', left, right } : undefined;
    }
    return left;
  };

  const or = (): LicenseNode | undefined => {
    let left = and();
    while (left && peekOp() === 'OR') {
      pos++;
      const right = and();
      left = right ? { kind: 'or', left, right } : undefined;
    }
    return left;
  };

  const tree = or();
  return tree && pos === tokens.length ? tree : undefined;
}

/** Canonical text: single spaces, upper-case operators, parentheses only where precedence needs them. */
export function formatLicenseExpression(node: LicenseNode): string {
  if (node.kind === 'license') return node.id + (node.plus ? '+' : '') + (node.exception ? ` WITH ${node.exception}` : '');
  const side = (child: LicenseNode): string =>
    node.kind === 'and' && child.kind === 'or' ? `(${formatLicenseExpression(child)})` : formatLicenseExpression(child);
  return `${side(node.left)} ${node.kind.toUpperCase()} ${side(node.right)}`;
}

export function conjunction(nodes: readonly LicenseNode[]): LicenseNode | undefined {
  return nodes.reduce<LicenseNode | undefined>((acc, n) => (acc ? { kind: 'and', left: acc, right: n } : n), undefined);
}

export function licenseRefsIn(node: LicenseNode): string[] {
  if (node.kind === 'license') return node.id.startsWith('LicenseRef-') ? [node.id] : [];
  return [...licenseRefsIn(node.left), ...licenseRefsIn(node.right)];
}

export type ClassifiedLicense =
  /** A single listed SPDX license id. */
  | { kind: 'id'; id: string; raw: string }
  /** Any other valid SPDX expression (compound, `+`, `WITH`, `LicenseRef-`). */
  | { kind: 'expression'; node: LicenseNode; text: string; raw: string }
  /** Free text that is not SPDX. */
  | { kind: 'name'; name: string; raw: string };

/** Placeholders some ecosystems write when nothing was declared; they carry no license. */
const NO_INFORMATION = new Set(['', 'unknown', 'noassertion']);

/** Classifies each license string, dropping placeholders and duplicates; sorted for stable output. */
export function classifyLicenses(raw: readonly string[] | undefined): ClassifiedLicense[] {
  const out = new Map<string, ClassifiedLicense>();
  for (const r of raw ?? []) {
    const s = r.trim();
    if (NO_INFORMATION.has(s.toLowerCase())) continue;
    const node = parseLicenseExpression(s);
    let c: ClassifiedLicense;
    if (node?.kind === 'license' && !node.plus && !node.exception && !node.id.startsWith('LicenseRef-')) {
      c = { kind: 'id', id: node.id, raw: s };
    } else if (node) {
      c = { kind: 'expression', node, text: formatLicenseExpression(node), raw: s };
    } else {
      c = { kind: 'name', name: s, raw: s };
    }
    const key = `${c.kind}\0${c.kind === 'id' ? c.id : c.kind === 'expression' ? c.text : c.name}`;
    if (!out.has(key)) out.set(key, c);
  }
  return [...out.entries()].sort((a, b) => compareStrings(a[0], b[0])).map((e) => e[1]);
}
