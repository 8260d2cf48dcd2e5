import { VigilError } from '../errors.js';
import {
  DEFAULT_DECODE_LIMITS,
  type DecodeLimits,
} from './messages.js';


/** Decoding's shared checks and encoding helpers: every failure is one VigilError('INVALID_INPUT') naming the field (see codec.ts). */

// ---------------------------------------------------------------- shared checks

export function invalid(field: string, what: string): never {
  throw new VigilError('INVALID_INPUT', `wire: ${field}: ${what}`);
}

/** A uint64 as protobufjs hands it over: a number, or a Long when it does not fit 32 bits. */
export type U64 = number | { toString(): string };

export class Reader {
  constructor(readonly lim: DecodeLimits) {}

  str(v: string | null | undefined, field: string, required = false): string {
    const s = v ?? '';
    if (s.length > this.lim.maxStringLength) invalid(field, `string of ${s.length} characters exceeds the limit of ${this.lim.maxStringLength}`);
    if (required && s === '') invalid(field, 'required but empty');
    return s;
  }

  /** proto3 `optional`: null means absent, an empty string is a value. */
  optStr(v: string | null | undefined, field: string): string | undefined {
    return v === null || v === undefined ? undefined : this.str(v, field);
  }

  strings(v: string[] | null | undefined, field: string, max = this.lim.maxListItems): string[] {
    const list = v ?? [];
    if (list.length > max) invalid(field, `${list.length} items exceed the limit of ${max}`);
    return list.map((s, i) => this.str(s, `${field}[${i}]`));
  }

  count<T>(v: T[] | null | undefined, field: string, max: number): T[] {
    const list = v ?? [];
    if (list.length > max) invalid(field, `${list.length} items exceed the limit of ${max}`);
    return list;
  }

  u64(v: U64 | null | undefined, field: string): number {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'number') return v;
    const big = BigInt(v.toString());
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) invalid(field, `${big} is larger than ${Number.MAX_SAFE_INTEGER}`);
    return Number(big);
  }

  enumOf<T>(v: number | null | undefined, table: Map<number, T>, field: string): T {
    const out = table.get(v ?? 0);
    if (out === undefined) invalid(field, v ? `unknown enum value ${v}` : 'required but unspecified');
    return out;
  }

  digest(v: Uint8Array | null | undefined, field: string): string {
    if (!v || v.length !== 32) invalid(field, `expected a 32-byte SHA-256, got ${v?.length ?? 0} bytes`);
    return Buffer.from(v).toString('hex');
  }

  /** A copy, so a decoded message does not pin the whole receive buffer in memory. */
  bytes(v: Uint8Array | null | undefined, field: string): Uint8Array {
    if (!v || v.length === 0) invalid(field, 'required but empty');
    return new Uint8Array(v);
  }
}

export function limitsOf(partial: Partial<DecodeLimits> | undefined): DecodeLimits {
  return { ...DEFAULT_DECODE_LIMITS, ...partial };
}

/** The oneof member that is set; protobufjs keeps every member it read, so several is possible. */
export function oneKind<K extends string>(m: object, kinds: readonly K[], field: string): K {
  const set = kinds.filter((k) => (m as Record<string, unknown>)[k] != null);
  if (set.length === 0) invalid(field, 'no known message kind set (missing or unknown oneof field)');
  if (set.length > 1) invalid(field, `several message kinds set (${set.join(', ')})`);
  return set[0]!;
}

export function parse<T>(bytes: Uint8Array, lim: DecodeLimits, field: string, decode: (b: Uint8Array) => T): T {
  if (!(bytes instanceof Uint8Array)) invalid(field, 'not a byte array');
  if (bytes.length > lim.maxMessageBytes) invalid(field, `message of ${bytes.length} bytes exceeds the limit of ${lim.maxMessageBytes}`);
  try {
    return decode(bytes);
  } catch (err) {
    // protobufjs throws RangeError/Error on truncation and bad wire types; hostile
    // nesting can even exhaust the stack. All of it is bad input, not a crash.
    throw new VigilError('INVALID_INPUT', `wire: ${field}: not a valid protobuf encoding (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

// ---------------------------------------------------------------- encode helpers

export function u64In(n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n < 0) invalid(field, `${n} is not a non-negative safe integer`);
  return n;
}

export function digestIn(hex: string, field: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) invalid(field, 'expected 64 lowercase hex characters (SHA-256)');
  return Buffer.from(hex, 'hex');
}
