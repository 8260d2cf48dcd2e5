import { createInterface } from 'node:readline';
import { VigilError } from '../../common/errors.js';
import { SCHEMES, VERSION_FORMATS } from '../../versions/index.js';
import { VersionError, type VersionFormat } from '../../versions/scheme.js';
import { oneOf } from '../args.js';

export const VERSION_USAGE = `usage: vigil version compare SCHEME A B
       vigil version compare SCHEME --batch < pairs.jsonl

SCHEME is one of ${VERSION_FORMATS.join(', ')}. Prints -1, 0 or 1 (the sign of A - B).
--batch reads JSON lines {"a": ..., "b": ...} and writes {"a", "b", "result"} lines
(or {"a", "b", "error"} for a version the scheme rejects).`;

export async function versionCommand(argv: string[]): Promise<number> {
  const [sub, schemeName, ...rest] = argv;
  if (sub !== 'compare') throw new VigilError('USAGE', 'usage: vigil version compare SCHEME A B (or --batch)');
  const format: VersionFormat = oneOf('scheme', schemeName, VERSION_FORMATS, 'dpkg');
  if (schemeName === undefined) throw new VigilError('USAGE', `name a scheme: ${VERSION_FORMATS.join(', ')}`);
  const scheme = SCHEMES[format];
  if (rest[0] === '--batch') {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let line = 0;
    for await (const raw of rl) {
      line++;
      if (!raw.trim()) continue;
      let pair: { a?: unknown; b?: unknown };
      try {
        pair = JSON.parse(raw) as { a?: unknown; b?: unknown };
      } catch {
        throw new VigilError('INVALID_INPUT', `stdin line ${line}: not JSON`);
      }
      if (typeof pair.a !== 'string' || typeof pair.b !== 'string') throw new VigilError('INVALID_INPUT', `stdin line ${line}: needs string fields "a" and "b"`);
      try {
        process.stdout.write(JSON.stringify({ a: pair.a, b: pair.b, result: scheme.compare(pair.a, pair.b) }) + '\n');
      } catch (err) {
        if (!(err instanceof VersionError)) throw err;
        process.stdout.write(JSON.stringify({ a: pair.a, b: pair.b, error: err.message }) + '\n');
      }
    }
    return 0;
  }
  if (rest.length !== 2) throw new VigilError('USAGE', 'vigil version compare SCHEME A B needs exactly two versions');
  try {
    process.stdout.write(`${scheme.compare(rest[0]!, rest[1]!)}\n`);
  } catch (err) {
    if (err instanceof VersionError) throw new VigilError('INVALID_INPUT', err.message);
    throw err;
  }
  return 0;
}
