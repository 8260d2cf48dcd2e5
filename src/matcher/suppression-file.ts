/**
 * `.vigilignore`: suppression rules in YAML, checked against
 * schemas/vigilignore.schema.json. Any problem is one INVALID_INPUT error naming the
 * file, the line and column, and the JSON pointer of the value that is wrong.
 */
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { VigilError } from '../common/errors.js';
import { schemaErrors } from './json-schema.js';
import { instantOf, parsePurlPattern, type SuppressionRule } from './suppression.js';

/** Bigger than any hand-kept rule list; keeps a mistaken `--ignore-file /dev/zero` bounded. */
export const MAX_IGNORE_FILE_BYTES = 4 * 1024 * 1024;

interface RawRule {
  id?: string;
  match: SuppressionRule['match'];
  reason: SuppressionRule['reason'];
  justification?: SuppressionRule['justification'];
  statement?: string;
  author: string;
  created: string;
  expires?: string;
}

/** The node a JSON pointer names, or the nearest ancestor that exists; a pointer ending in a key of a map gives that key. */
function nodeAt(doc: Document, pointer: string): Node | undefined {
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  for (const seg of segs) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return node;
      node = seg === segs[segs.length - 1] && pair.value === null ? pair.key : pair.value;
      if (!node) return pair.key as Node;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) return node;
      node = item;
    } else break;
  }
  return node as Node | undefined;
}

function keyAt(doc: Document, pointer: string): Node | undefined {
  const i = pointer.lastIndexOf('/');
  const parent = nodeAt(doc, pointer.slice(0, i));
  const key = pointer.slice(i + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  if (!isMap(parent)) return parent;
  const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  return (pair?.key as Node | undefined) ?? parent;
}

export function parseVigilignore(text: string, file: string): SuppressionRule[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): string => {
    const { line, col } = lc.linePos(offset ?? 0);
    return `${file}:${line}:${col}`;
  };
  const fail = (node: Node | undefined, pointer: string, message: string): never => {
    throw new VigilError('INVALID_INPUT', `${at(node?.range?.[0])}: ${pointer || '/'} ${message}`);
  };
  const yamlError = doc.errors[0];
  if (yamlError) throw new VigilError('INVALID_INPUT', `${at(yamlError.pos[0])}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias bomb (`&a [*a, *a, …]` nested) stops at the alias limit instead of filling memory.
    throw new VigilError('INVALID_INPUT', `${file}: not usable YAML: ${(err as Error).message}`);
  }
  const errors = schemaErrors('vigilignore.schema.json', value);
  const first = errors[0];
  if (first) {
    const node = first.message === 'is not a known key' ? keyAt(doc, first.pointer) : nodeAt(doc, first.pointer);
    fail(node, first.pointer, first.message);
  }
  const seen = new Map<string, string>();
  return (value as { rules: RawRule[] }).rules.map((raw, i) => {
    const pointer = `/rules/${i}`;
    const node = nodeAt(doc, pointer);
    for (const [j, purl] of (raw.match.purls ?? []).entries()) {
      try {
        parsePurlPattern(purl);
      } catch (err) {
        fail(nodeAt(doc, `${pointer}/match/purls/${j}`), `${pointer}/match/purls/${j}`, `is not a package URL: ${(err as Error).message}`);
      }
    }
    for (const key of ['created', 'expires'] as const) {
      const v = raw[key];
      if (v !== undefined && Number.isNaN(instantOf(v))) fail(nodeAt(doc, `${pointer}/${key}`), `${pointer}/${key}`, 'is not a valid date');
    }
    const origin = at(node?.range?.[0]);
    const id = raw.id ?? `${path.basename(file)}:${lc.linePos(node?.range?.[0] ?? 0).line}`;
    const dup = seen.get(id);
    if (dup) fail(nodeAt(doc, `${pointer}/id`), `${pointer}/id`, `repeats the id "${id}" of the rule at ${dup}`);
    seen.set(id, origin);
    const rule: SuppressionRule = { id, match: raw.match, reason: raw.reason, author: raw.author, created: raw.created, origin };
    if (raw.justification !== undefined) rule.justification = raw.justification;
    if (raw.statement !== undefined) rule.statement = raw.statement;
    if (raw.expires !== undefined) rule.expires = raw.expires;
    return rule;
  });
}
