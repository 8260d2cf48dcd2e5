import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../../common/errors.js';
import {
  ACTIONS,
  CommandRefused,
  MANAGERS,
  SIGNING_FILES,
  generateSigningKeyPair,
  isKeyId,
  keyId,
  openDelegation,
  parseEnvelope,
  privateKeyPem,
  publicKeyPem,
  readPrivateKeyFile,
  readPublicKeyFile,
  signDelegation,
  writeKeyPair,
  type Action,
  type DelegationPayload,
  type Envelope,
  type PackageManager,
} from '../../common/signing.js';
import { createSecretFile, writeSecretFile } from '../../common/secret-files.js';
import { parseDuration } from '../../server/tokens.js';
import { parse } from '../args.js';

export const KEYS_USAGE = `usage: vigil keys init --out DIR [--json]
       vigil keys delegate --root-key FILE --online-pub FILE -o FILE [--actions LIST]
                           [--managers LIST] [--ttl 7d] [--revoke KEYID]... [--serial N] [--json]
       vigil keys rotate --root-key FILE --dir DIR [--actions LIST] [--managers LIST]
                         [--ttl 7d] [--revoke KEYID]... [--serial N] [--json]
       vigil keys list --dir DIR [--json]
       vigil keys revoke --root-key FILE --dir DIR KEYID [--ttl 7d] [--serial N] [--json]

Ed25519 keys for signed commands. An offline root key, whose key id agents pin
at enrollment, delegates online keys for a while, for some actions and package
managers; the server signs each command with its online key and sends the
delegation along. DIR of rotate, list and revoke is the server's signing
directory (online.key, online.pub, delegation.json, root.pub).

init      create a root key pair, DIR/root.key and DIR/root.pub, and print the
          root key id. Keep root.key off the server. Refuses to overwrite.
delegate  sign a delegation of the --online-pub key and write it to FILE:
          valid for --ttl (default 7d), for --actions (default patch,rescan;
          of ${ACTIONS.join(', ')}) and --managers (default all of
          ${MANAGERS.join(', ')}), revoking each --revoke key id.
rotate    make a new online key in DIR, delegate it, revoke the previous online
          key and every key the previous delegation listed, and write
          delegation.json (root.pub too when missing). Actions and managers
          default to the previous delegation's. Also sets up a new DIR.
list      show the delegation in DIR: keys, validity, actions, revocations.
revoke    issue a new delegation for DIR with KEYID removed and revoked.

Revocations carry over into every later delegation. Serials default to the
larger of the previous serial + 1 and the current Unix time.`;

const DEFAULT_ACTIONS: readonly Action[] = ['patch', 'rescan'];
/** Delegations start a little in the past, so agents whose clocks lag accept a fresh one. */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function keysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'init':
      return init(rest);
    case 'delegate':
      return delegate(rest);
    case 'rotate':
      return rotate(rest);
    case 'list':
      return list(rest);
    case 'revoke':
      return revoke(rest);
    default:
      throw new VigilError('USAGE', `unknown keys subcommand ${JSON.stringify(sub ?? '')}; use init, delegate, rotate, list or revoke`);
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new VigilError('USAGE', `${flag} is required`);
  return value;
}

function csv<T extends string>(flag: string, text: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (text === undefined) return [...fallback];
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = items.find((s) => !(allowed as readonly string[]).includes(s));
  if (bad !== undefined) throw new VigilError('USAGE', `--${flag}: ${JSON.stringify(bad)} is not one of ${allowed.join(', ')}`);
  return [...new Set(items)] as T[];
}

function keyIds(values: string[] | undefined): string[] {
  for (const v of values ?? []) if (!isKeyId(v)) throw new VigilError('USAGE', `--revoke: ${JSON.stringify(v)} is not a key id (64 lowercase hex digits)`);
  return values ?? [];
}

function serialOf(text: string | undefined, previous: number | undefined, now: Date): number {
  const floor = previous === undefined ? 0 : previous + 1;
  if (text === undefined) return Math.max(floor, Math.floor(now.getTime() / 1000));
  const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new VigilError('USAGE', `--serial must be a non-negative integer (got ${JSON.stringify(text)})`);
  if (n < floor) throw new VigilError('USAGE', `--serial must be above the previous delegation's ${previous}`);
  return n;
}

function validity(ttl: string | undefined, now: Date): Pick<DelegationPayload, 'issuedAt' | 'notBefore' | 'expiresAt'> {
  const seconds = parseDuration(ttl ?? '7d');
  return {
    issuedAt: now.toISOString(),
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS).toISOString(),
    expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(),
  };
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

function sign(payload: DelegationPayload, root: KeyObject): Envelope {
  try {
    return signDelegation(payload, root);
  } catch (err) {
    if (err instanceof CommandRefused) throw new VigilError('INVALID_INPUT', `cannot sign this delegation: ${err.detail}`, { cause: err });
    throw err;
  }
}

function write(file: string, data: string): void {
  writeSecretFile(file, data);
}

const envelopeJson = (e: Envelope): string => JSON.stringify(e, null, 2) + '\n';

/** The delegation in FILE, verified against the root key (public or private); its time is not checked. */
function readDelegation(file: string, root: KeyObject): DelegationPayload {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot read ${file}: ${code ?? (err as Error).message}`, { cause: err });
  }
  try {
    return openDelegation(parseEnvelope(JSON.parse(raw)), publicKeyPem(root), keyId(root));
  } catch (err) {
    if (err instanceof SyntaxError) throw new VigilError('INVALID_INPUT', `${file} is not JSON`, { cause: err });
    if (err instanceof CommandRefused) throw new VigilError('INVALID_INPUT', `${file}: ${err.detail}`, { cause: err });
    throw err;
  }
}

/** DIR/root.pub, which the server sends with every command: written once, then only checked. */
function ensureRootPub(dir: string, root: KeyObject): void {
  const file = path.join(dir, SIGNING_FILES.rootPub);
  if (existsSync(file)) {
    const have = keyId(readPublicKeyFile(file));
    if (have !== keyId(root)) throw new VigilError('INVALID_INPUT', `${file} is root key ${have}, but --root-key is ${keyId(root)}`);
    return;
  }
  createSecretFile(file, publicKeyPem(root));
}

function summary(d: DelegationPayload, now: Date) {
  return {
    serial: d.serial,
    issuedAt: d.issuedAt,
    notBefore: d.notBefore,
    expiresAt: d.expiresAt,
    expired: now.getTime() > Date.parse(d.expiresAt),
    actions: d.actions,
    managers: d.managers,
    keys: d.keys.map((k) => k.keyid),
    revokedKeys: d.revokedKeys,
  };
}

function say(json: boolean | undefined, value: unknown, text: string, note?: string): number {
  if (json) process.stdout.write(JSON.stringify(value) + '\n');
  else {
    if (note) process.stderr.write(`vigil: ${note}\n`);
    process.stdout.write(text);
  }
  return 0;
}

async function init(argv: string[]): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } }, 0);
  const dir = path.resolve(required(values.out, '--out'));
  const pair = generateSigningKeyPair();
  let files: { privateKeyFile: string; publicKeyFile: string };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    files = writeKeyPair(dir, 'root', pair);
  } catch (err) {
    if (err instanceof VigilError && err.code === 'CONFLICT') throw new VigilError('CONFLICT', `a root key already exists in ${dir}; refusing to overwrite it`, { cause: err });
    throw new VigilError('IO', `cannot write the root key in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const out = { dir, keyid: pair.keyid, privateKey: files.privateKeyFile, publicKey: files.publicKeyFile };
  return say(values.json, out, `${pair.keyid}\n`, `root key created in ${dir}; keep root.key offline, give agents its key id`);
}

const DELEGATION_OPTIONS = {
  'root-key': { type: 'string' },
  actions: { type: 'string' },
  managers: { type: 'string' },
  ttl: { type: 'string' },
  revoke: { type: 'string', multiple: true },
  serial: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function delegate(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...DELEGATION_OPTIONS, 'online-pub': { type: 'string' }, out: { type: 'string', short: 'o' } }, 0);
  const root = readPrivateKeyFile(required(values['root-key'], '--root-key'));
  const online = readPublicKeyFile(required(values['online-pub'], '--online-pub'));
  const out = path.resolve(required(values.out, '-o'));
  const revoked = keyIds(values.revoke);
  if (revoked.includes(keyId(online))) throw new VigilError('USAGE', `--revoke names ${keyId(online)}, the online key being delegated`);
  const now = new Date();
  const d: DelegationPayload = {
    version: 1,
    keys: [{ keyid: keyId(online), publicKeyPem: publicKeyPem(online) }],
    actions: csv<Action>('actions', values.actions, ACTIONS, DEFAULT_ACTIONS),
    managers: csv<PackageManager>('managers', values.managers, MANAGERS, MANAGERS),
    ...validity(values.ttl, now),
    serial: serialOf(values.serial, undefined, now),
    revokedKeys: union(revoked),
  };
  write(out, envelopeJson(sign(d, root)));
  const s = summary(d, now);
  return say(values.json, { file: out, rootKeyId: keyId(root), ...s }, `${out}\n`, `delegated ${s.keys[0]} until ${d.expiresAt} for ${d.actions.join(', ')} on ${d.managers.join(', ')}`);
}

async function rotate(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...DELEGATION_OPTIONS, dir: { type: 'string' } }, 0);
  const root = readPrivateKeyFile(required(values['root-key'], '--root-key'));
  const dir = path.resolve(required(values.dir, '--dir'));
  const delegationFile = path.join(dir, SIGNING_FILES.delegation);
  const onlinePubFile = path.join(dir, SIGNING_FILES.onlinePub);
  const prev = existsSync(delegationFile) ? readDelegation(delegationFile, root) : undefined;
  const previousKey = existsSync(onlinePubFile) ? keyId(readPublicKeyFile(onlinePubFile)) : undefined;
  // Every key the old delegation trusted is retired with it, not just the one in online.pub.
  const retired = union(prev?.keys.map((k) => k.keyid) ?? [], previousKey ? [previousKey] : [], keyIds(values.revoke));
  const pair = generateSigningKeyPair();
  const now = new Date();
  const d: DelegationPayload = {
    version: 1,
    keys: [{ keyid: pair.keyid, publicKeyPem: publicKeyPem(pair.publicKey) }],
    actions: csv<Action>('actions', values.actions, ACTIONS, prev?.actions ?? DEFAULT_ACTIONS),
    managers: csv<PackageManager>('managers', values.managers, MANAGERS, prev?.managers ?? MANAGERS),
    ...validity(values.ttl, now),
    serial: serialOf(values.serial, prev?.serial, now),
    revokedKeys: union(prev?.revokedKeys ?? [], retired),
  };
  const envelope = sign(d, root);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    ensureRootPub(dir, root);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError('IO', `cannot write ${dir}: ${(err as Error).message}`, { cause: err });
  }
  // Key before delegation: a crash in between leaves an undelegated key, which the
  // next rotate revokes, never a delegation without its key.
  write(path.join(dir, SIGNING_FILES.onlineKey), privateKeyPem(pair.privateKey));
  write(onlinePubFile, publicKeyPem(pair.publicKey));
  write(delegationFile, envelopeJson(envelope));
  const newlyRevoked = d.revokedKeys.filter((k) => !prev?.revokedKeys.includes(k));
  const note = `new online key ${pair.keyid} delegated until ${d.expiresAt}` + (newlyRevoked.length ? `; revoked ${newlyRevoked.join(', ')}` : '');
  return say(values.json, { dir, keyid: pair.keyid, revoked: newlyRevoked, ...summary(d, now) }, `${pair.keyid}\n`, note);
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(argv, { dir: { type: 'string' }, json: { type: 'boolean' } }, 0);
  const dir = path.resolve(required(values.dir, '--dir'));
  const root = readPublicKeyFile(path.join(dir, SIGNING_FILES.rootPub));
  const d = readDelegation(path.join(dir, SIGNING_FILES.delegation), root);
  const onlinePubFile = path.join(dir, SIGNING_FILES.onlinePub);
  const online = existsSync(onlinePubFile) ? keyId(readPublicKeyFile(onlinePubFile)) : null;
  const now = new Date();
  const s = summary(d, now);
  const out = { dir, rootKeyId: keyId(root), onlineKeyId: online, ...s };
  const lines = [
    `root key    ${out.rootKeyId}`,
    `delegation  serial ${d.serial}, issued ${d.issuedAt}, valid ${d.notBefore} to ${d.expiresAt}${s.expired ? ' (EXPIRED)' : ''}`,
    `actions     ${d.actions.join(', ') || '-'}`,
    `managers    ${d.managers.join(', ') || '-'}`,
    ...(d.keys.length ? d.keys.map((k, i) => `${i ? '           ' : 'keys       '} ${k.keyid}${k.keyid === online ? ' (online.pub)' : ''}`) : ['keys        -']),
    ...(d.revokedKeys.length ? d.revokedKeys.map((k, i) => `${i ? '           ' : 'revoked    '} ${k}`) : ['revoked     -']),
  ];
  if (online !== null && !d.keys.some((k) => k.keyid === online)) lines.push(`warning     online.pub (${online}) is not delegated${d.revokedKeys.includes(online) ? ' and is revoked' : ''}`);
  return say(values.json, out, lines.join('\n') + '\n');
}

async function revoke(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { 'root-key': { type: 'string' }, dir: { type: 'string' }, ttl: { type: 'string' }, serial: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const target = positionals[0];
  if (target === undefined) throw new VigilError('USAGE', 'keys revoke needs the KEYID to revoke');
  if (!isKeyId(target)) throw new VigilError('USAGE', `${JSON.stringify(target)} is not a key id (64 lowercase hex digits)`);
  const root = readPrivateKeyFile(required(values['root-key'], '--root-key'));
  const dir = path.resolve(required(values.dir, '--dir'));
  const delegationFile = path.join(dir, SIGNING_FILES.delegation);
  if (!existsSync(delegationFile)) throw new VigilError('NOT_FOUND', `no ${SIGNING_FILES.delegation} in ${dir}; run vigil keys rotate first`);
  const prev = readDelegation(delegationFile, root);
  const now = new Date();
  const d: DelegationPayload = {
    ...prev,
    keys: prev.keys.filter((k) => k.keyid !== target),
    ...validity(values.ttl, now),
    serial: serialOf(values.serial, prev.serial, now),
    revokedKeys: union(prev.revokedKeys, [target]),
  };
  const envelope = sign(d, root);
  ensureRootPub(dir, root);
  write(delegationFile, envelopeJson(envelope));
  const onlinePubFile = path.join(dir, SIGNING_FILES.onlinePub);
  const online = existsSync(onlinePubFile) ? keyId(readPublicKeyFile(onlinePubFile)) : undefined;
  const note =
    `revoked ${target} in delegation ${d.serial}` + (online === target ? '; it is the server\'s online key: commands it signs are refused until "vigil keys rotate"' : '');
  return say(values.json, { dir, revoked: target, onlineKeyRevoked: online === target, ...summary(d, now) }, `${target}\n`, note);
}
