import { VigilError } from '../../common/errors.js';

/** A list parameter given comma-separated (`state=online,offline`) or repeated. */
export function splitList<T extends string>(v: string[] | undefined, allowed: readonly T[], name: string, normalise: (s: string) => string = (s) => s): T[] | undefined {
  if (v === undefined) return undefined;
  const out = v.flatMap((s) => s.split(',')).map((s) => normalise(s.trim())).filter(Boolean);
  for (const x of out) if (!(allowed as readonly string[]).includes(x)) throw new VigilError('INVALID_INPUT', `${name} ${JSON.stringify(x.slice(0, 40))} is not one of ${allowed.join(', ')}`);
  return out.length ? (out as T[]) : undefined;
}

