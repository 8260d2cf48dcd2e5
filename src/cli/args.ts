import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VigilError } from '../common/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with Vigil's usage errors: one clear line naming the bad option. */
export function parse<O extends Options>(argv: string[], options: O, maxPositionals: number) {
  let res;
  try {
    res = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new VigilError('USAGE', (err as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  if (res.positionals.length > maxPositionals)
    throw new VigilError('USAGE', `unexpected argument: ${res.positionals[maxPositionals]}`);
  return res;
}

export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new VigilError('USAGE', `--${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}
