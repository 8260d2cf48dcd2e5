/**
 * Mutations of seed inputs for the fuzz targets, as fast-check arbitraries: byte
 * flips, truncation, splicing two seeds, huge lengths and varints, NUL bytes, very
 * long names, huge numbers in place of digits. Positions are fractions of the input
 * so that one arbitrary serves seeds of any size and shrinks toward the seed.
 */
import fc from 'fast-check';

export type Mutation =
  | { op: 'flip'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; other: number; at: number; from: number }
  | { op: 'length'; at: number; bytes: number[] }
  | { op: 'nul'; at: number; count: number }
  | { op: 'long'; at: number; count: number; char: string }
  | { op: 'number'; at: number; digits: string }
  | { op: 'delete'; at: number; count: number };

const frac = fc.double({ min: 0, max: 1, noNaN: true });
/** Lengths a parser might trust: all ones, the sign bit, 2^32 - 1, a 10-byte varint. */
const HUGE = [
  [0xff, 0xff, 0xff, 0xff],
  [0x7f, 0xff, 0xff, 0xff],
  [0x80, 0x00, 0x00, 0x00],
  [0x00, 0x00, 0x00, 0x00],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0xff, 0xff, 0xff, 0xff, 0x0f],
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: frac, value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: frac }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('splice' as const), other: fc.nat(), at: frac, from: frac }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('length' as const), at: frac, bytes: fc.constantFrom(...HUGE) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nul' as const), at: frac, count: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('long' as const), at: frac, count: fc.constantFrom(300, 5_000, 70_000), char: fc.constantFrom('A', '/', '"', '\\', '\n', '{', '[', '\t', '.', '0') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('number' as const), at: frac, digits: fc.constantFrom('99999999999999999999', '-1', '4294967296', '1e308', '0', '9007199254740993', 'NaN') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: frac, count: fc.integer({ min: 1, max: 512 }) }) },
);

export interface Case {
  seed: number;
  mutations: Mutation[];
}

export const caseOf = (seeds: number): fc.Arbitrary<Case> => fc.record({ seed: fc.nat({ max: Math.max(0, seeds - 1) }), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) });

const pos = (b: Buffer, at: number) => Math.min(b.length, Math.floor(at * b.length));

export function apply(seeds: readonly Buffer[], c: Case): Buffer {
  let b = Buffer.from(seeds[c.seed % seeds.length]!);
  for (const m of c.mutations) {
    const p = pos(b, m.at);
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[Math.min(p, b.length - 1)] = m.value;
        break;
      case 'truncate':
        b = b.subarray(0, p);
        break;
      case 'splice': {
        const o = seeds[m.other % seeds.length]!;
        b = Buffer.concat([b.subarray(0, p), o.subarray(pos(o, m.from))]);
        break;
      }
      case 'length':
        b = Buffer.concat([b.subarray(0, p), Buffer.from(m.bytes), b.subarray(Math.min(b.length, p + m.bytes.length))]);
        break;
      case 'nul':
        b = Buffer.concat([b.subarray(0, p), Buffer.alloc(m.count), b.subarray(p)]);
        break;
      case 'long':
        b = Buffer.concat([b.subarray(0, p), Buffer.from(m.char.repeat(m.count)), b.subarray(p)]);
        break;
      case 'number': {
        // Replace the run of digits at or after the position, or insert there.
        let s = p;
        while (s < b.length && !(b[s]! >= 0x30 && b[s]! <= 0x39)) s++;
        if (s >= b.length) s = p;
        let e = s;
        while (e < b.length && b[e]! >= 0x30 && b[e]! <= 0x39) e++;
        b = Buffer.concat([b.subarray(0, s), Buffer.from(m.digits), b.subarray(e)]);
        break;
      }
      case 'delete':
        b = Buffer.concat([b.subarray(0, p), b.subarray(Math.min(b.length, p + m.count))]);
        break;
    }
  }
  return b;
}
