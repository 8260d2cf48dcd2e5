import { BlockList, isIP } from 'node:net';
import { VigilError } from '../../common/errors.js';

/**
 * EventBridge event patterns (Amazon EventBridge User Guide, "Event patterns",
 * "Content filtering", "Arrays in event patterns"): a pattern has the shape of the
 * events it matches; every field named must match (AND), the values listed for a
 * field are alternatives (OR), `$or` lists alternative sub-patterns. A field of the
 * event that holds an array matches when one of its elements does; an object pattern
 * against an array of objects matches when one element matches all of it, so two
 * fields never match from different elements of the same array. Only leaves (strings,
 * numbers, booleans, null) are values: an object where the pattern expects values is
 * absent, as EventBridge has it (`exists: false` matches it).
 *
 * Operators: exact values, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`,
 * `anything-but` (a value, a list of strings or of numbers, or `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`), `numeric`, `exists`, `cidr`, and `$or`. Anything
 * else is refused when the pattern is compiled, with the JSON pointer of the part.
 */
export type EventMatcher = (event: unknown) => boolean;

type Leaf = string | number | boolean | null;

type Condition = { kind: 'exists'; exists: boolean } | { kind: 'test'; test: (v: Leaf) => boolean };

interface ObjectNode {
  fields: Array<{ key: string; node: ObjectNode | Condition[] }>;
  /** Each group holds when one of its alternatives does; every group must hold. */
  ors: ObjectNode[][];
}

/** Bounds on one pattern, so a route cannot make matching every event expensive. */
const MAX_DEPTH = 16;
const MAX_CONDITIONS = 1000;
/** EventBridge's numeric range (User Guide, "Numeric matching"). */
const NUMERIC_LIMIT = 5e9;

const pointer = (path: readonly string[]): string => (path.length ? '/' + path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : '/');

class Compiler {
  private conditions = 0;

  fail(path: readonly string[], what: string): never {
    throw new VigilError('INVALID_INPUT', `event pattern ${pointer(path)}: ${what}`);
  }

  object(v: unknown, path: string[], depth = 0): ObjectNode {
    if (depth > MAX_DEPTH) this.fail(path, `nested deeper than ${MAX_DEPTH} levels`);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'must be an object');
    const entries = Object.entries(v);
    if (entries.length === 0) this.fail(path, path.length ? 'an empty object matches nothing: name a field' : 'an empty pattern is refused: {"source": ["vigil"]} matches every event');
    const node: ObjectNode = { fields: [], ors: [] };
    for (const [key, value] of entries) {
      const at = [...path, key];
      if (key === '$or') {
        if (!Array.isArray(value) || value.length < 2) this.fail(at, '$or needs an array of at least two patterns');
        node.ors.push(value.map((alt, i) => this.object(alt, [...at, String(i)], depth + 1)));
      } else if (Array.isArray(value)) {
        node.fields.push({ key, node: this.values(value, at) });
      } else if (typeof value === 'object' && value !== null) {
        node.fields.push({ key, node: this.object(value, at, depth + 1) });
      } else {
        this.fail(at, `must be an array of values or a nested pattern, not ${JSON.stringify(value)}`);
      }
    }
    return node;
  }

  private values(list: unknown[], path: string[]): Condition[] {
    if (list.length === 0) this.fail(path, 'an empty array matches nothing');
    this.conditions += list.length;
    if (this.conditions > MAX_CONDITIONS) this.fail(path, `more than ${MAX_CONDITIONS} values in one pattern`);
    return list.map((v, i) => this.condition(v, [...path, String(i)]));
  }

  private condition(v: unknown, path: string[]): Condition {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return { kind: 'test', test: (x) => x === v };
    if (typeof v === 'number') return { kind: 'test', test: (x) => x === v };
    if (Array.isArray(v)) this.fail(path, 'a value cannot be an array (list the alternatives in the field\'s array)');
    if (typeof v !== 'object') this.fail(path, `unsupported value ${String(v)}`);
    const entries = Object.entries(v);
    if (entries.length !== 1) this.fail(path, `an operator object holds exactly one operator, not ${entries.length}`);
    const [op, arg] = entries[0]!;
    const at = [...path, op];
    switch (op) {
      case 'prefix':
      case 'suffix':
        return { kind: 'test', test: stringTest(this.affix(op, arg, at)) };
      case 'equals-ignore-case':
        return { kind: 'test', test: stringTest(ignoreCase(this.str(arg, at))) };
      case 'wildcard':
        return { kind: 'test', test: stringTest(this.wildcard(arg, at)) };
      case 'anything-but':
        return { kind: 'test', test: this.anythingBut(arg, at) };
      case 'numeric':
        return { kind: 'test', test: this.numeric(arg, at) };
      case 'exists':
        if (typeof arg !== 'boolean') this.fail(at, 'exists takes true or false');
        return { kind: 'exists', exists: arg };
      case 'cidr':
        return { kind: 'test', test: this.cidr(arg, at) };
      default:
        return this.fail(path, `unknown operator "${op}"`);
    }
  }

  private str(v: unknown, path: string[]): string {
    if (typeof v !== 'string') this.fail(path, `takes a string, not ${JSON.stringify(v)}`);
    return v;
  }

  /** `prefix` / `suffix` with a string, or with `{"equals-ignore-case": string}`. */
  private affix(op: 'prefix' | 'suffix', arg: unknown, path: string[]): (s: string) => boolean {
    if (typeof arg === 'string') return op === 'prefix' ? (s) => s.startsWith(arg) : (s) => s.endsWith(arg);
    if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) {
      const entries = Object.entries(arg);
      if (entries.length === 1 && entries[0]![0] === 'equals-ignore-case') {
        const want = this.str(entries[0]![1], [...path, 'equals-ignore-case']).toLowerCase();
        return op === 'prefix' ? (s) => s.toLowerCase().startsWith(want) : (s) => s.toLowerCase().endsWith(want);
      }
    }
    return this.fail(path, `${op} takes a string or {"equals-ignore-case": string}`);
  }

  private wildcard(arg: unknown, path: string[]): (s: string) => boolean {
    const text = this.str(arg, path);
    const parts: string[] = [''];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        const next = text[i + 1];
        if (next !== '*' && next !== '\\') this.fail(path, `a backslash escapes only "*" or "\\" (at character ${i + 1})`);
        parts[parts.length - 1] += next;
        i++;
      } else if (c === '*') {
        if (text[i + 1] === '*') this.fail(path, `consecutive wildcard characters are not allowed (at character ${i + 1})`);
        parts.push('');
      } else {
        parts[parts.length - 1] += c;
      }
    }
    return globTest(parts);
  }

  private anythingBut(arg: unknown, path: string[]): (v: Leaf) => boolean {
    if (typeof arg === 'string' || typeof arg === 'number') return (v) => typeof v === typeof arg && v !== arg;
    if (Array.isArray(arg)) {
      if (arg.length === 0) this.fail(path, 'anything-but takes a non-empty list');
      const kind = typeof arg[0];
      if ((kind !== 'string' && kind !== 'number') || arg.some((x) => typeof x !== kind)) this.fail(path, 'anything-but takes a list of only strings or only numbers');
      const set = new Set<unknown>(arg);
      return (v) => typeof v === kind && !set.has(v);
    }
    if (typeof arg === 'object' && arg !== null) {
      const entries = Object.entries(arg);
      if (entries.length !== 1) this.fail(path, 'anything-but takes one of prefix, suffix, equals-ignore-case or wildcard');
      const [op, inner] = entries[0]!;
      const at = [...path, op];
      let test: (s: string) => boolean;
      if (op === 'prefix' || op === 'suffix') {
        const s = this.str(inner, at);
        if (s === '') this.fail(at, `anything-but ${op} takes a non-empty string`);
        test = op === 'prefix' ? (x) => x.startsWith(s) : (x) => x.endsWith(s);
      } else if (op === 'equals-ignore-case' || op === 'wildcard') {
        const list = Array.isArray(inner) ? inner : [inner];
        if (list.length === 0) this.fail(at, `anything-but ${op} takes a string or a non-empty list of strings`);
        const tests = list.map((s, i) => (op === 'wildcard' ? this.wildcard(s, Array.isArray(inner) ? [...at, String(i)] : at) : ignoreCase(this.str(s, at))));
        test = (x) => tests.some((t) => t(x));
      } else {
        return this.fail(at, `unknown anything-but operator "${op}"`);
      }
      return (v) => typeof v === 'string' && !test(v);
    }
    return this.fail(path, `anything-but takes a string, a number, a list or an operator, not ${JSON.stringify(arg)}`);
  }

  private numeric(arg: unknown, path: string[]): (v: Leaf) => boolean {
    if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) this.fail(path, 'numeric takes [op, number] or [">" or ">=", number, "<" or "<=", number]');
    const bound = (i: number, ops: readonly string[]): { op: string; n: number } => {
      const op = arg[i] as unknown;
      const n = arg[i + 1] as unknown;
      if (typeof op !== 'string' || !ops.includes(op)) this.fail([...path, String(i)], `expected one of ${ops.map((o) => `"${o}"`).join(', ')}, not ${JSON.stringify(op)}`);
      if (typeof n !== 'number' || !Number.isFinite(n)) this.fail([...path, String(i + 1)], `expected a number, not ${JSON.stringify(n)}`);
      if (Math.abs(n) > NUMERIC_LIMIT) this.fail([...path, String(i + 1)], `${n} is outside the numeric range -5e9 to 5e9`);
      return { op, n };
    };
    const cmp = ({ op, n }: { op: string; n: number }) => (x: number): boolean =>
      op === '<' ? x < n : op === '<=' ? x <= n : op === '=' ? x === n : op === '>' ? x > n : x >= n;
    if (arg.length === 2) {
      const t = cmp(bound(0, ['<', '<=', '=', '>', '>=']));
      return (v) => typeof v === 'number' && t(v);
    }
    const lo = bound(0, ['>', '>=']);
    const hi = bound(2, ['<', '<=']);
    if (lo.n >= hi.n) this.fail(path, `the lower bound ${lo.n} is not below the upper bound ${hi.n}`);
    const a = cmp(lo);
    const b = cmp(hi);
    return (v) => typeof v === 'number' && a(v) && b(v);
  }

  private cidr(arg: unknown, path: string[]): (v: Leaf) => boolean {
    const text = this.str(arg, path);
    const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
    const family = m ? isIP(m[1]!) : 0;
    const bits = m ? Number(m[2]) : -1;
    if (!m || family === 0 || bits > (family === 4 ? 32 : 128)) this.fail(path, `"${text}" is not an IPv4 or IPv6 CIDR block`);
    const list = new BlockList();
    list.addSubnet(m[1]!, bits, family === 4 ? 'ipv4' : 'ipv6');
    return (v) => {
      if (typeof v !== 'string') return false;
      const f = isIP(v);
      return f !== 0 && list.check(v, f === 4 ? 'ipv4' : 'ipv6');
    };
  }
}

const stringTest =
  (t: (s: string) => boolean) =>
  (v: Leaf): boolean =>
    typeof v === 'string' && t(v);

function ignoreCase(want: string): (s: string) => boolean {
  const w = want.toLowerCase();
  return (s) => s.toLowerCase() === w;
}

/** `parts` split at each unescaped `*`: the first is a prefix, the last a suffix, the rest found in order. */
function globTest(parts: string[]): (s: string) => boolean {
  if (parts.length === 1) return (s) => s === parts[0];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1);
  return (s) => {
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const m of middle) {
      const i = s.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}

/** The leaves of an event value: arrays are flattened, objects are not leaves. */
function leaves(v: unknown, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(v);
  return out;
}

function matchValues(conditions: Condition[], v: unknown): boolean {
  const ls = leaves(v);
  return conditions.some((c) => (c.kind === 'exists' ? c.exists === ls.length > 0 : ls.some(c.test)));
}

function matchObject(node: ObjectNode, v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0 ? matchObject(node, undefined) : v.some((el) => matchObject(node, el));
  const obj = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  for (const { key, node: child } of node.fields) {
    const value = obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (!(Array.isArray(child) ? matchValues(child, value) : matchObject(child, value))) return false;
  }
  return node.ors.every((alts) => alts.some((alt) => matchObject(alt, v)));
}

/**
 * Validates an event pattern (a JSON text or its parsed value) and returns its
 * matcher. Throws VigilError INVALID_INPUT naming the JSON pointer of what is wrong.
 */
export function compilePattern(json: unknown): EventMatcher {
  let pattern = json;
  if (typeof json === 'string') {
    try {
      pattern = JSON.parse(json) as unknown;
    } catch (err) {
      throw new VigilError('INVALID_INPUT', `event pattern is not JSON: ${(err as Error).message}`);
    }
  }
  const root = new Compiler().object(pattern, []);
  return (event) => matchObject(root, event);
}
