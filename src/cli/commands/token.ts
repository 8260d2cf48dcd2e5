import { VigilError } from '../../common/errors.js';
import { createToken, parseDuration } from '../../server/tokens.js';
import { parse } from '../args.js';
import { pkiDir } from './server.js';

export const TOKEN_USAGE = `usage: vigil token create [--ttl 1h|30m|86400] [--uses N] [--dir DIR] [--json]

create  make an enrollment token, valid for --ttl (default 1h) and --uses
        enrollments (default 1), and print it. It is shown only this once:
        the server keeps only its SHA-256 in DIR/tokens.json.`;

export async function tokenCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new VigilError('USAGE', `unknown token subcommand ${JSON.stringify(sub ?? '')}; use create`);
  const { values } = parse(rest, { ttl: { type: 'string' }, uses: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean' } }, 0);
  const ttlSeconds = parseDuration(values.ttl ?? '1h');
  const uses = values.uses === undefined ? 1 : /^\d+$/.test(values.uses) ? Number(values.uses) : NaN;
  if (!Number.isInteger(uses) || uses < 1) throw new VigilError('USAGE', `--uses must be a positive integer (got ${JSON.stringify(values.uses)})`);
  const t = createToken(pkiDir(values.dir), { ttlSeconds, uses });
  if (values.json) process.stdout.write(JSON.stringify(t) + '\n');
  else process.stdout.write(`${t.token}\n`);
  return 0;
}
