import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitToExecutor } from '../../src/common/executor-client.js';
import { MAX_EXECUTOR_REQUEST_BYTES, type ExecutorResult } from '../../src/common/executor-protocol.js';
import { MAX_SIGNED_COMMAND_BYTES, canonicalBytes, generateSigningKeyPair, type Envelope } from '../../src/common/signing.js';
import type { RunningExecutor } from '../../src/executor/server.js';
import { tempDir } from '../helpers/fixtures.js';
import {
  DAY,
  HOUR,
  HOST,
  MIN,
  at,
  capturedLog,
  commandPayload,
  config,
  delegation,
  forged,
  frame,
  makeKeys,
  rawExchange,
  recordingSpawn,
  signed,
  socketIn,
  startInProcess,
} from './helpers.js';

/**
 * What a compromised agent, a compromised server or anyone else who can reach the
 * socket might send. Every case is refused with its reason, the reason is logged,
 * and the package manager is never started.
 */

const keys = makeKeys();
const stranger = generateSigningKeyPair();
const tmp = tempDir('vigil-executor-adv-');
const socket = socketIn(tmp.dir);
const { log, records } = capturedLog();
const { spawnFn, calls } = recordingSpawn();
let executor: RunningExecutor;

beforeAll(async () => {
  const cfg = config(keys, path.join(tmp.dir, 'state'), { revokedKeys: [stranger.keyid] });
  executor = await startInProcess(cfg, socket, { spawnFn, log, readTimeoutMs: 500 });
});
afterAll(async () => {
  await executor.close();
  tmp.cleanup();
});

/** The wire object of a signed command, with one part changed, back in canonical form. */
function rewrite(bytes: Buffer, change: (wire: { delegation: Envelope; envelope: Envelope; rootPublicKeyPem: string }) => void): Buffer {
  const wire = JSON.parse(bytes.toString('utf8')) as { delegation: Envelope; envelope: Envelope; rootPublicKeyPem: string };
  change(wire);
  return canonicalBytes(wire);
}

function flipByte(b64: string, at: number): string {
  const b = Buffer.from(b64, 'base64');
  b[at] = b[at]! ^ 0x01;
  return b.toString('base64');
}

function expectRefusedAndLogged(result: ExecutorResult | undefined, reason: string): void {
  expect(result).toBeDefined();
  expect(result!.outcome).toBe('refused');
  expect(result!.reason).toBe(reason);
  expect(result!.verified).toBe(false);
  expect(result!.before).toEqual([]);
  expect(result!.after).toEqual([]);
  expect(result!.outputTail).toBeUndefined();
  expect(records.some((r) => r.reason === reason && String(r.msg).startsWith(`command refused (${reason})`))).toBe(true);
  expect(calls).toEqual([]);
}

const sqlish = [
  '-o APT::Update::Pre-Invoke::=touch /tmp/pwned',
  '--allow-unauthenticated',
  'vigil demo',
  'vigil-demo;id',
  'vigil-demo$(id)',
  'vigil-demo`id`',
  'vigil-demo\nid',
];
const badVersions = ['1.0 -2', '1.0-2;id', '1.0-$(id)', '1.0-`id`', '1.0-2\n-o'];

const cases: Array<[string, string, () => Buffer]> = [
  ['no signature on the command', 'no-signature', () => forged(keys, commandPayload(), { envelope: (e) => ({ ...e, signatures: [] }) })],
  ['a key the delegation does not list', 'unknown-key', () => signed(keys, {}, { key: stranger.privateKey })],
  ['a delegation signed by another root key', 'unknown-key', () => signed(keys, {}, { delegation: delegation(keys, {}, stranger.privateKey) })],
  [
    'a key revoked by the delegation',
    'key-revoked',
    () => signed(keys, {}, { delegation: delegation(keys, { revokedKeys: [keys.online.keyid] }) }),
  ],
  [
    "a key revoked in the executor's config",
    'key-revoked',
    () => {
      const d = delegation(keys, { keys: [{ keyid: stranger.keyid, publicKeyPem: stranger.publicKey.export({ type: 'spki', format: 'pem' }) as string }] });
      return signed(keys, {}, { key: stranger.privateKey, delegation: d });
    },
  ],
  ['the payload altered by one byte', 'bad-signature', () => rewrite(signed(keys), (w) => void (w.envelope.payload = flipByte(w.envelope.payload, 40)))],
  ['the signature altered by one bit', 'bad-signature', () => rewrite(signed(keys), (w) => void (w.envelope.signatures[0]!.sig = flipByte(w.envelope.signatures[0]!.sig, 10)))],
  ['the delegation altered by one byte', 'bad-signature', () => rewrite(signed(keys), (w) => void (w.delegation.payload = flipByte(w.delegation.payload, 30)))],
  ["another host's id", 'wrong-host', () => signed(keys, { hostId: 'h-someone-else' })],
  ['an expired command', 'expired', () => signed(keys, { issuedAt: at(-2 * HOUR), notBefore: at(-2 * HOUR), expiresAt: at(-HOUR) })],
  ['a command not yet valid', 'not-yet-valid', () => signed(keys, { notBefore: at(HOUR), expiresAt: at(2 * HOUR) })],
  ['an action no executor knows', 'unknown-action', () => forged(keys, { ...commandPayload(), action: 'shell' })],
  ['an action outside the delegation', 'action-not-delegated', () => signed(keys, {}, { delegation: delegation(keys, { actions: ['rescan'] }) })],
  ['a manager outside the delegation', 'manager-not-delegated', () => signed(keys, {}, { delegation: delegation(keys, { managers: ['dnf'] }) })],
  [
    "a delegated manager this host does not use",
    'wrong-manager',
    () => signed(keys, { manager: 'dnf', packages: [{ name: 'openssl', version: '3.0.7-2' }] }, { delegation: delegation(keys, { managers: ['apt', 'dnf'] }) }),
  ],
  [
    'the stolen online key, after its delegation expired',
    'delegation-expired',
    () => signed(keys, {}, { delegation: delegation(keys, { notBefore: at(-2 * DAY), issuedAt: at(-2 * DAY), expiresAt: at(-MIN) }) }),
  ],
  ['a delegation not yet valid', 'delegation-not-yet-valid', () => signed(keys, {}, { delegation: delegation(keys, { notBefore: at(HOUR) }) })],
  ['a command outliving its delegation', 'outlives-delegation', () => signed(keys, { expiresAt: at(3 * HOUR) }, { delegation: delegation(keys, { expiresAt: at(2 * HOUR) }) })],
  ['a patch naming no package', 'bad-package', () => forged(keys, { ...commandPayload(), packages: [] })],
  ...sqlish.map((name): [string, string, () => Buffer] => [`package name ${JSON.stringify(name)}`, 'bad-package', () => forged(keys, { ...commandPayload(), packages: [{ name, version: '1.0-2' }] })]),
  ...badVersions.map((version): [string, string, () => Buffer] => [`version ${JSON.stringify(version)}`, 'bad-package', () => forged(keys, { ...commandPayload(), packages: [{ name: 'vigil-demo', version }] })]),
  ['a signed command over the size limit', 'oversized', () => Buffer.alloc(MAX_SIGNED_COMMAND_BYTES + 1, 0x20)],
  ['a signed command that is not canonical JSON', 'malformed', () => Buffer.from(signed(keys).toString('utf8').replace('{', '{ '))],
];

describe('the executor refuses, logs why, and runs nothing', () => {
  it.each(cases)('%s → %s', async (_name, reason, make) => {
    const result = await submitToExecutor(socket, make(), 10_000);
    expectRefusedAndLogged(result, reason);
  });

  it('names the command in refusals made after its signature verified, and nothing before', async () => {
    const late = await submitToExecutor(socket, signed(keys, { manager: 'dnf', packages: [{ name: 'openssl', version: '3.0.7-2' }] }, { delegation: delegation(keys, { managers: ['apt', 'dnf'] }) }), 10_000);
    expect(late).toMatchObject({ outcome: 'refused', reason: 'wrong-manager', hostId: HOST, jobId: 'j-0001' });
    expect(late.commandId).toMatch(/^c-/);
    const early = await submitToExecutor(socket, signed(keys, { hostId: 'h-someone-else' }), 10_000);
    expect(early.commandId).toBeUndefined();
    expect(early.hostId).toBeUndefined();
  });

  it('refuses a frame declaring more than the limit as soon as the length is read', async () => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_EXECUTOR_REQUEST_BYTES + 1);
    // Only the length is sent, and the client keeps its side open: the reply must not wait for a body.
    const result = await rawExchange(socket, head, { timeoutMs: 5_000 });
    expectRefusedAndLogged(result, 'oversized');
    expect(result!.detail).toContain(String(MAX_EXECUTOR_REQUEST_BYTES + 1));
  });

  it('writes nothing outside its state directory', () => {
    expect(existsSync('/tmp/pwned')).toBe(false);
  });
});

describe('a compromised agent talking to the socket directly', () => {
  const huge = Buffer.from([0xff, 0xff, 0xff, 0xff]);
  const bodies: Array<[string, Buffer, { end?: boolean }, string | undefined]> = [
    ['random bytes in a frame', frame(Buffer.from('8a9f0c771e2d4b55aa', 'hex')), {}, 'malformed'],
    ['JSON that is not a request', frame('{"hello":"executor"}'), {}, 'malformed'],
    ['a request with an extra field', frame(JSON.stringify({ signedCommand: 'e30=', run: 'id' })), {}, 'malformed'],
    ['unsigned JSON as the command', frame(JSON.stringify({ signedCommand: Buffer.from(JSON.stringify(commandPayload())).toString('base64') })), {}, 'malformed'],
    ['base64 that is not canonical', frame(JSON.stringify({ signedCommand: signed(keys).toString('base64').replace(/=*$/, '') + '\n' })), {}, 'malformed'],
    ['a truncated frame', frame(JSON.stringify({ signedCommand: signed(keys).toString('base64') })).subarray(0, 200), { end: true }, 'malformed'],
    ['two bytes and a hang-up', Buffer.from([0, 0]), { end: true }, 'malformed'],
    ['an empty frame', Buffer.alloc(4), {}, 'malformed'],
    ['a huge declared length with bytes after it', Buffer.concat([huge, Buffer.alloc(64 * 1024, 0x41)]), {}, 'oversized'],
    ['nothing at all, the connection held open', Buffer.alloc(0), {}, 'read-timeout'],
    ['half a frame, the connection held open', frame('{"signedCommand":"e30="}').subarray(0, 10), {}, 'read-timeout'],
  ];

  it.each(bodies)('%s is refused', async (_name, bytes, opts, reason) => {
    const result = await rawExchange(socket, bytes, opts);
    expectRefusedAndLogged(result, reason!);
  });

  it('survives all of them at once and still serves the next valid request', async () => {
    const noise = await Promise.all(bodies.map(([, bytes, opts]) => rawExchange(socket, bytes, opts)));
    expect(noise.every((r) => r?.outcome === 'refused')).toBe(true);
    expect(calls).toEqual([]);
    const result = await submitToExecutor(socket, signed(keys, { action: 'rescan', packages: [] }), 10_000);
    expect(result).toMatchObject({ outcome: 'completed', hostId: HOST });
    // A rescan reads the database; it never starts the package manager.
    expect(calls).toEqual([]);
  });
});

describe('replays', () => {
  const dir = tempDir('vigil-executor-replay-');
  const stateDir = path.join(dir.dir, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  afterAll(dir.cleanup);

  it('refuses a command id already accepted, also after a restart on the same state', async () => {
    const sock = socketIn(dir.dir);
    const cap = capturedLog();
    const rec = recordingSpawn();
    const once = signed(keys);
    let ex = await startInProcess(config(keys, stateDir), sock, { spawnFn: rec.spawnFn, log: cap.log });
    const first = await submitToExecutor(sock, once, 10_000);
    expect(first.outcome).toBe('completed');
    expect(rec.calls.length).toBe(2); // apt-get update, apt-get install
    const again = await submitToExecutor(sock, once, 10_000);
    expect(again).toMatchObject({ outcome: 'refused', reason: 'replayed' });
    await ex.close();

    ex = await startInProcess(config(keys, stateDir), sock, { spawnFn: rec.spawnFn, log: cap.log });
    const afterRestart = await submitToExecutor(sock, once, 10_000);
    expect(afterRestart).toMatchObject({ outcome: 'refused', reason: 'replayed' });
    expect(cap.records.filter((r) => r.reason === 'replayed').length).toBe(2);
    expect(rec.calls.length).toBe(2);

    // The same command id, signed afresh, is still the same command.
    const id = (JSON.parse(Buffer.from((JSON.parse(once.toString()) as { envelope: Envelope }).envelope.payload, 'base64').toString()) as { commandId: string }).commandId;
    const resigned = await submitToExecutor(sock, signed(keys, { commandId: id, jobId: 'j-other' }), 10_000);
    expect(resigned).toMatchObject({ outcome: 'refused', reason: 'replayed' });
    expect(rec.calls.length).toBe(2);
    await ex.close();
  });

  it('refuses a delegation older than the newest one it has acted on, also after a restart', async () => {
    const sock = socketIn(dir.dir);
    const rec = recordingSpawn();
    let ex = await startInProcess(config(keys, stateDir), sock, { spawnFn: rec.spawnFn, log: capturedLog().log });
    const newer = await submitToExecutor(sock, signed(keys, { action: 'rescan', packages: [] }, { delegation: delegation(keys, { serial: 50 }) }), 10_000);
    expect(newer.outcome).toBe('completed');
    await ex.close();
    ex = await startInProcess(config(keys, stateDir), sock, { spawnFn: rec.spawnFn, log: capturedLog().log });
    const older = await submitToExecutor(sock, signed(keys, {}, { delegation: delegation(keys, { serial: 49 }) }), 10_000);
    expect(older).toMatchObject({ outcome: 'refused', reason: 'delegation-rolled-back' });
    expect(rec.calls).toEqual([]);
    await ex.close();
  });

  it('rotate-keys makes the host refuse the old online key at once, without running anything', async () => {
    const sock = socketIn(dir.dir);
    const rec = recordingSpawn();
    const ex = await startInProcess(config(keys, path.join(dir.dir, 'rotate-state')), sock, { spawnFn: rec.spawnFn, log: capturedLog().log });
    const next = generateSigningKeyPair();
    const rotated = delegation(keys, {
      serial: 900,
      actions: ['patch', 'rescan', 'rotate-keys'],
      keys: [{ keyid: next.keyid, publicKeyPem: next.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
      revokedKeys: [keys.online.keyid],
    });
    const r = await submitToExecutor(sock, signed(keys, { action: 'rotate-keys', packages: [] }, { delegation: rotated, key: next.privateKey }), 10_000);
    expect(r).toMatchObject({ outcome: 'completed', verified: true });
    // The old key under its old, still unexpired delegation: refused as rolled back.
    const old = await submitToExecutor(sock, signed(keys, {}, { delegation: delegation(keys, { serial: 899 }) }), 10_000);
    expect(old).toMatchObject({ outcome: 'refused', reason: 'delegation-rolled-back' });
    expect(rec.calls).toEqual([]);
    await ex.close();
  });
});
