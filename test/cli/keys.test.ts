import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import {
  CommandRefused,
  SIGNING_FILES,
  canonicalBytes,
  generateSigningKeyPair,
  keyId,
  openDelegation,
  parseEnvelope,
  publicKeyPem,
  readPrivateKeyFile,
  readPublicKeyFile,
  signCommand,
  verifyCommand,
  writeKeyPair,
  type CommandPayload,
  type Envelope,
} from '../../src/common/signing.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => (tmp = tempDir('vigil-cli-keys-')));
afterAll(() => tmp.cleanup());

const HOST = 'a-00112233445566aa';

function command(now: Date): CommandPayload {
  return {
    version: 1,
    commandId: `c-${now.getTime()}`,
    hostId: HOST,
    jobId: 'j-1',
    issuedAt: now.toISOString(),
    notBefore: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
    action: 'patch',
    manager: 'apt',
    packages: [{ name: 'openssl', version: '3.0.15-1~deb12u1' }],
    options: { reboot: 'never' },
  };
}

const readEnvelope = (file: string): Envelope => parseEnvelope(JSON.parse(readFileSync(file, 'utf8')));

/** A command signed as the server would from its signing directory. */
function signFromDir(dir: string): Buffer {
  const f = (name: string) => path.join(dir, name);
  return signCommand(command(new Date()), readPrivateKeyFile(f(SIGNING_FILES.onlineKey)), readEnvelope(f(SIGNING_FILES.delegation)), readFileSync(f(SIGNING_FILES.rootPub), 'utf8'));
}

function refusal(bytes: Buffer, rootKeyId: string): string {
  try {
    verifyCommand(bytes, { rootKeyId }, { hostId: HOST, now: new Date() });
    return 'accepted';
  } catch (err) {
    if (err instanceof CommandRefused) return err.reason;
    throw err;
  }
}

describe('vigil keys: init, delegate, list, rotate, revoke', () => {
  let rootKeyId = '';
  const rootDir = () => path.join(tmp.dir, 'root');
  const rootKey = () => path.join(rootDir(), 'root.key');
  const serverDir = () => path.join(tmp.dir, 'server-signing');
  let first = '';
  let second = '';

  it('keys init --json creates a 0600 root key pair and prints its key id', async () => {
    const r = await vigil(['keys', 'init', '--out', rootDir(), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { dir: string; keyid: string; privateKey: string; publicKey: string };
    rootKeyId = keyId(readPublicKeyFile(path.join(rootDir(), 'root.pub')));
    expect(out).toEqual({ dir: rootDir(), keyid: rootKeyId, privateKey: rootKey(), publicKey: path.join(rootDir(), 'root.pub') });
    expect(keyId(readPrivateKeyFile(rootKey()))).toBe(rootKeyId);
    expect(statSync(rootKey()).mode & 0o777).toBe(0o600);
    expect(statSync(rootDir()).mode & 0o777).toBe(0o700);
  });

  it('keys init refuses, in one line, to overwrite a root key', async () => {
    const before = readFileSync(rootKey(), 'utf8');
    const r = await vigil(['keys', 'init', '--out', rootDir()]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vigil: a root key already exists in ${rootDir()}; refusing to overwrite it\n`);
    expect(r.code).toBe(8);
    expect(readFileSync(rootKey(), 'utf8')).toBe(before);
  });

  it('keys init prints only the key id on stdout without --json', async () => {
    const dir = path.join(tmp.dir, 'root-text');
    const r = await vigil(['keys', 'init', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${keyId(readPublicKeyFile(path.join(dir, 'root.pub')))}\n`);
    expect(r.stderr).toMatch(/^vigil: root key created in .*; keep root\.key offline/);
  });

  it('keys delegate signs a delegation of the online key, limited as asked', async () => {
    const onlineDir = path.join(tmp.dir, 'online');
    const online = generateSigningKeyPair();
    mkdirSync(onlineDir);
    writeKeyPair(onlineDir, 'online', online);
    const revoked = 'ab'.repeat(32);
    const out = path.join(tmp.dir, 'delegation.json');
    const before = Date.now();
    const r = await vigil(['keys', 'delegate', '--root-key', rootKey(), '--online-pub', path.join(onlineDir, 'online.pub'), '--actions', 'rescan', '--managers', 'apt,apk', '--ttl', '1d', '--revoke', revoked, '--serial', '7', '-o', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = openDelegation(readEnvelope(out), publicKeyPem(readPrivateKeyFile(rootKey())), rootKeyId);
    expect(d).toMatchObject({ version: 1, keys: [{ keyid: online.keyid, publicKeyPem: publicKeyPem(online.publicKey) }], actions: ['rescan'], managers: ['apt', 'apk'], serial: 7, revokedKeys: [revoked] });
    const ttl = Date.parse(d.expiresAt) - Date.parse(d.issuedAt);
    expect(ttl).toBe(86_400_000);
    expect(Date.parse(d.issuedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: out, rootKeyId, serial: 7, keys: [online.keyid], actions: ['rescan'], managers: ['apt', 'apk'], revokedKeys: [revoked] });
  });

  it.each([
    [['--actions', 'patch,exec'], 'vigil: --actions: "exec" is not one of patch, rescan, rotate-keys\n', 2],
    [['--managers', 'pip'], 'vigil: --managers: "pip" is not one of apt, dnf, yum, zypper, apk\n', 2],
    [['--revoke', 'ABC'], 'vigil: --revoke: "ABC" is not a key id (64 lowercase hex digits)\n', 2],
    [['--ttl', 'soon'], 'vigil: invalid duration "soon"; use e.g. 30m, 1h, 2d or seconds\n', 2],
  ])('keys delegate %j fails in one line', async (extra, stderr, code) => {
    const r = await vigil(['keys', 'delegate', '--root-key', rootKey(), '--online-pub', path.join(tmp.dir, 'online/online.pub'), '-o', path.join(tmp.dir, 'x.json'), ...extra]);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
  });

  it('keys rotate sets up a new signing directory whose commands agents accept', async () => {
    const r = await vigil(['keys', 'rotate', '--root-key', rootKey(), '--dir', serverDir(), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { keyid: string; revoked: string[]; keys: string[]; actions: string[]; managers: string[]; serial: number };
    first = out.keyid;
    expect(keyId(readPublicKeyFile(path.join(serverDir(), 'online.pub')))).toBe(first);
    expect(keyId(readPrivateKeyFile(path.join(serverDir(), 'online.key')))).toBe(first);
    expect(keyId(readPublicKeyFile(path.join(serverDir(), 'root.pub')))).toBe(rootKeyId);
    expect(out).toMatchObject({ revoked: [], keys: [first], actions: ['patch', 'rescan'], managers: ['apt', 'dnf', 'yum', 'zypper', 'apk'] });
    for (const f of Object.values(SIGNING_FILES)) expect(statSync(path.join(serverDir(), f)).mode & 0o777).toBe(0o600);
    expect(refusal(signFromDir(serverDir()), rootKeyId)).toBe('accepted');
  });

  it('keys list shows the delegation, as JSON and as text', async () => {
    const r = await vigil(['keys', 'list', '--dir', serverDir(), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dir: serverDir(), rootKeyId, onlineKeyId: first, keys: [first], revokedKeys: [], expired: false, actions: ['patch', 'rescan'] });
    const t = await vigil(['keys', 'list', '--dir', serverDir()]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`root key    ${rootKeyId}\n`);
    expect(t.stdout).toContain(`keys        ${first} (online.pub)\n`);
    expect(t.stdout).toContain('revoked     -\n');
  });

  it('keys rotate replaces the online key and revokes the previous one in the new delegation', async () => {
    const oldCommand = signFromDir(serverDir());
    const oldSerial = (JSON.parse((await vigil(['keys', 'list', '--dir', serverDir(), '--json'])).stdout) as { serial: number }).serial;
    const r = await vigil(['keys', 'rotate', '--root-key', rootKey(), '--dir', serverDir(), '--ttl', '2d', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { keyid: string; revoked: string[]; keys: string[]; revokedKeys: string[]; serial: number; issuedAt: string; expiresAt: string };
    second = out.keyid;
    expect(second).not.toBe(first);
    expect(out).toMatchObject({ revoked: [first], keys: [second], revokedKeys: [first] });
    expect(out.serial).toBeGreaterThan(oldSerial);
    expect(Date.parse(out.expiresAt) - Date.parse(out.issuedAt)).toBe(2 * 86_400_000);
    expect(refusal(signFromDir(serverDir()), rootKeyId)).toBe('accepted');
    // The old key's command, sent with the new delegation, is refused.
    const old = JSON.parse(oldCommand.toString()) as { envelope: Envelope };
    const mixed = canonicalBytes({ delegation: readEnvelope(path.join(serverDir(), 'delegation.json')), envelope: old.envelope, rootPublicKeyPem: readFileSync(path.join(serverDir(), 'root.pub'), 'utf8') });
    expect(refusal(mixed, rootKeyId)).toBe('unknown-key');
    // An agent that remembers the new serial refuses the old delegation outright.
    expect(() => verifyCommand(oldCommand, { rootKeyId, minSerial: out.serial }, { hostId: HOST, now: new Date() })).toThrow(/delegation-rolled-back/);
  });

  it('keys revoke issues a new delegation without the key and with it revoked', async () => {
    const r = await vigil(['keys', 'revoke', '--root-key', rootKey(), '--dir', serverDir(), second]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${second}\n`);
    expect(r.stderr).toMatch(/^vigil: revoked [0-9a-f]{64} in delegation \d+; it is the server's online key/);
    const l = JSON.parse((await vigil(['keys', 'list', '--dir', serverDir(), '--json'])).stdout) as { keys: string[]; revokedKeys: string[]; onlineKeyId: string };
    expect(l).toMatchObject({ keys: [], revokedKeys: [first, second], onlineKeyId: second });
    expect(refusal(signFromDir(serverDir()), rootKeyId)).toBe('unknown-key');
    const t = await vigil(['keys', 'list', '--dir', serverDir()]);
    expect(t.stdout).toContain(`warning     online.pub (${second}) is not delegated and is revoked\n`);
  });

  it('a rotate after the revoke carries every revocation forward', async () => {
    const r = await vigil(['keys', 'rotate', '--root-key', rootKey(), '--dir', serverDir(), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { keyid: string; revoked: string[]; revokedKeys: string[] };
    expect(out.revoked).toEqual([]);
    expect(out.revokedKeys).toEqual([first, second]);
    expect(refusal(signFromDir(serverDir()), rootKeyId)).toBe('accepted');
  });

  it('refuses a signing directory whose delegation another root key signed', async () => {
    const otherRoot = path.join(tmp.dir, 'other-root');
    expect((await vigil(['keys', 'init', '--out', otherRoot])).code).toBe(0);
    const r = await vigil(['keys', 'rotate', '--root-key', path.join(otherRoot, 'root.key'), '--dir', serverDir()]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`^vigil: ${path.join(serverDir(), 'delegation.json').replace(/[.]/g, '\\.')}: signed by ${rootKeyId}, not by [0-9a-f]{64}\n$`));
    const rv = await vigil(['keys', 'revoke', '--root-key', path.join(otherRoot, 'root.key'), '--dir', serverDir(), 'ab'.repeat(32)]);
    expect(rv.code).toBe(4);
  });

  it.each([
    [['keys'], 'vigil: unknown keys subcommand ""; use init, delegate, rotate, list or revoke\n', 2],
    [['keys', 'init'], 'vigil: --out is required\n', 2],
    [['keys', 'revoke', '--root-key', 'x', '--dir', 'y'], 'vigil: keys revoke needs the KEYID to revoke\n', 2],
    [['keys', 'revoke', '--root-key', 'x', '--dir', 'y', 'nothex'], 'vigil: "nothex" is not a key id (64 lowercase hex digits)\n', 2],
  ])('vigil %j fails in one line', async (args, stderr, code) => {
    const r = await vigil(args);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
  });

  it('keys list names what is missing', async () => {
    const dir = path.join(tmp.dir, 'empty');
    const r = await vigil(['keys', 'list', '--dir', dir]);
    expect(r.stderr).toBe(`vigil: cannot read key file ${path.join(dir, 'root.pub')}: ENOENT\n`);
    expect(r.code).toBe(3);
  });
});
