import { existsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../../common/config.js';
import { VigilError } from '../../common/errors.js';
import { ApiTokenStore, ROLES, isRole } from '../../server/api-tokens.js';
import { createToken, parseDuration } from '../../server/tokens.js';
import { parse } from '../args.js';
import { table } from '../output.js';
import { pkiDir } from './server.js';

export const TOKEN_USAGE = `usage: vigil token create [--ttl 1h|30m|86400] [--uses N] [--dir DIR] [--json]
       vigil token create --role viewer|operator|admin --name NAME [--ttl 90d] [--tag KEY=VALUE]... [--data-dir DIR] [--json]
       vigil token list [--data-dir DIR] [--json]
       vigil token revoke ID [--data-dir DIR]

create  without --role: an enrollment token, valid for --ttl (default 1h) and
        --uses enrollments (default 1); the server keeps only its SHA-256 in
        DIR/tokens.json. With --role: an API token of that role (viewer reads;
        operator also rescans, suppresses, runs patch jobs; admin also manages
        tokens, enrolment, revocation, deletion), kept as a SHA-256 in
        DATA-DIR/api-tokens.json, valid for --ttl or until revoked. --tag
        scopes an operator token: it rescans, patches and suppresses only on
        hosts with one of the tags (it reads everything a viewer reads).
        Either is printed only this once.
list    the API tokens: id, name, role, scope, created, expiry, revocation.
revoke  revoke the API token with this id: the next request with it gets 401.

DATA-DIR defaults to the server data directory this host runs
(<data dir>/server for vigil up, else <data dir>).`;

/** The server data directory API tokens live in: --data-dir, or the one `vigil up` / `vigil server run` uses here. */
function serverDataDir(flag: string | undefined): string {
  if (flag) return path.resolve(flag);
  const dirs = [path.join(dataDir(), 'server'), dataDir()];
  return dirs.find((d) => existsSync(path.join(d, 'fleet.db'))) ?? dataDir();
}

export async function tokenCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'create') return create(rest);
  if (sub === 'list') {
    const { values } = parse(rest, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }, 0);
    const tokens = new ApiTokenStore(serverDataDir(values['data-dir'])).list();
    if (values.json) process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
    else if (tokens.length === 0) process.stdout.write('no API tokens\n');
    else process.stdout.write(table(['ID', 'NAME', 'ROLE', 'SCOPE', 'CREATED', 'EXPIRES', 'REVOKED'], tokens.map((t) => [t.id, t.name, t.role, t.tags?.join(',') ?? '-', t.createdAt, t.expiresAt ?? '-', t.revokedAt ?? '-'])));
    return 0;
  }
  if (sub === 'revoke') {
    const { values, positionals } = parse(rest, { 'data-dir': { type: 'string' } }, 1);
    if (!positionals[0]) throw new VigilError('USAGE', 'vigil token revoke needs the token id (see vigil token list)');
    const t = new ApiTokenStore(serverDataDir(values['data-dir'])).revoke(positionals[0]);
    process.stdout.write(`revoked API token ${t.id} (${t.name}, ${t.role}) at ${t.revokedAt}\n`);
    return 0;
  }
  throw new VigilError('USAGE', `unknown token subcommand ${JSON.stringify(sub ?? '')}; use create, list or revoke`);
}

function create(rest: string[]): number {
  const { values } = parse(
    rest,
    { ttl: { type: 'string' }, uses: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean' }, role: { type: 'string' }, name: { type: 'string' }, tag: { type: 'string', multiple: true }, 'data-dir': { type: 'string' } },
    0,
  );
  if (values.role !== undefined) {
    if (!isRole(values.role)) throw new VigilError('USAGE', `--role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(values.role)})`);
    if (!values.name) throw new VigilError('USAGE', '--name is required with --role: it names the token in listings and the audit log');
    if (values.tag !== undefined && values.role !== 'operator') throw new VigilError('USAGE', '--tag scopes an operator token; a viewer acts on nothing, an admin on everything');
    if (values.uses !== undefined || values.dir !== undefined) throw new VigilError('USAGE', '--uses and --dir are for enrollment tokens; an API token takes --data-dir');
    const t = new ApiTokenStore(serverDataDir(values['data-dir'])).create({
      name: values.name,
      role: values.role,
      createdBy: `cli:${process.env.SUDO_USER ?? process.env.USER ?? 'unknown'}`,
      ...(values.ttl !== undefined ? { ttlSeconds: parseDuration(values.ttl) } : {}),
      ...(values.tag !== undefined ? { tags: values.tag } : {}),
    });
    process.stdout.write(values.json ? JSON.stringify(t) + '\n' : `${t.token}\n`);
    return 0;
  }
  if (values.tag !== undefined) throw new VigilError('USAGE', '--tag scopes an API token: give --role operator');
  const ttlSeconds = parseDuration(values.ttl ?? '1h');
  const uses = values.uses === undefined ? 1 : /^\d+$/.test(values.uses) ? Number(values.uses) : NaN;
  if (!Number.isInteger(uses) || uses < 1) throw new VigilError('USAGE', `--uses must be a positive integer (got ${JSON.stringify(values.uses)})`);
  const t = createToken(pkiDir(values.dir), { ttlSeconds, uses });
  if (values.json) process.stdout.write(JSON.stringify(t) + '\n');
  else process.stdout.write(`${t.token}\n`);
  return 0;
}
