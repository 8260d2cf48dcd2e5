import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COMMAND_TYPE,
  CommandRefused,
  DELEGATION_TYPE,
  MAX_SIGNED_COMMAND_BYTES,
  canonicalBytes,
  decodeCanonicalBase64,
  generateSigningKeyPair,
  keyId,
  openSignedCommand,
  pae,
  parsePublicKeyPem,
  publicKeyPem,
  readPrivateKeyFile,
  readPublicKeyFile,
  signCommand,
  signDelegation,
  signEnvelope,
  validPackageName,
  validPackageVersion,
  verifyCommand,
  verifyEnvelope,
  writeKeyPair,
  type CommandPayload,
  type CommandTrust,
  type DelegationPayload,
  type Envelope,
  type PackageManager,
  type RefusalReason,
  type Signature,
} from '../../src/common/signing.js';
import { VigilError } from '../../src/common/errors.js';
import { apkScheme } from '../../src/versions/apk.js';
import { PKGDB, tempDir } from '../helpers/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const HOST = 'a-0123456789abcdef';

const root = generateSigningKeyPair();
const online = generateSigningKeyPair();
const rootPem = publicKeyPem(root.publicKey);
const TRUST: CommandTrust = { rootKeyId: root.keyid };
const CTX = { hostId: HOST, now: NOW };

function delegationPayload(over: Partial<DelegationPayload> = {}): DelegationPayload {
  return {
    version: 1,
    keys: [{ keyid: online.keyid, publicKeyPem: publicKeyPem(online.publicKey) }],
    actions: ['patch', 'rescan'],
    managers: ['apt', 'dnf', 'apk'],
    notBefore: at(-HOUR),
    expiresAt: at(7 * DAY),
    issuedAt: at(-HOUR),
    serial: 42,
    revokedKeys: [],
    ...over,
  };
}

function commandPayload(over: Partial<CommandPayload> = {}): CommandPayload {
  return {
    version: 1,
    commandId: 'c-5f2b9a7e',
    hostId: HOST,
    jobId: 'j-0001',
    issuedAt: at(-MIN),
    notBefore: at(-MIN),
    expiresAt: at(HOUR),
    action: 'patch',
    manager: 'apt',
    packages: [
      { name: 'openssl', version: '3.0.15-1~deb12u1' },
      { name: 'libssl3', version: '3.0.15-1~deb12u1' },
    ],
    options: { reboot: 'never' },
    ...over,
  };
}

/** Signs whatever it is given, valid or not: the verifier, not the signer, is under test. */
const delegationEnvelope = (over: Record<string, unknown> = {}, key: KeyObject = root.privateKey): Envelope =>
  signEnvelope(DELEGATION_TYPE, canonicalBytes({ ...delegationPayload(), ...over }), key);
const commandEnvelope = (over: Record<string, unknown> = {}, key: KeyObject = online.privateKey): Envelope =>
  signEnvelope(COMMAND_TYPE, canonicalBytes({ ...commandPayload(), ...over }), key);
const wire = (parts: { envelope?: Envelope; delegation?: Envelope; rootPublicKeyPem?: string } = {}): Buffer =>
  canonicalBytes({ envelope: parts.envelope ?? commandEnvelope(), delegation: parts.delegation ?? delegationEnvelope(), rootPublicKeyPem: parts.rootPublicKeyPem ?? rootPem });

function outcome(bytes: Buffer, trust: CommandTrust = TRUST, ctx = CTX): RefusalReason | 'accepted' {
  try {
    verifyCommand(bytes, trust, ctx);
    return 'accepted';
  } catch (err) {
    if (err instanceof CommandRefused) return err.reason;
    throw err;
  }
}

/** The envelope with its payload bytes changed by `edit` and re-encoded, the signature left as it was. */
function tamperPayload(e: Envelope, edit: (b: Buffer) => Buffer): Envelope {
  return { ...e, payload: edit(Buffer.from(e.payload, 'base64')).toString('base64') };
}

function withoutJobId(): Record<string, unknown> {
  const { jobId: _omitted, ...rest } = commandPayload();
  return rest;
}

function flipByte(b: Buffer, i: number): Buffer {
  const c = Buffer.from(b);
  c[i] = c[i]! ^ 0x01;
  return c;
}

describe('DSSE pre-authentication encoding', () => {
  it('matches the example in DSSE protocol.md', () => {
    // github.com/secure-systems-lab/dsse protocol.md, "Test Vectors".
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString('latin1')).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, and ends an empty body with a space', () => {
    expect(pae('application/vnd.exämple+json', Buffer.from('{}')).toString('utf8')).toBe('DSSEv1 29 application/vnd.exämple+json 2 {}');
    expect(pae('t', Buffer.alloc(0)).toString('latin1')).toBe('DSSEv1 1 t 0 ');
    expect(pae('', Buffer.from('x')).toString('latin1')).toBe('DSSEv1 0  1 x');
  });

  /**
   * github.com/secure-systems-lab/dsse testvectors/vectors.json @ 82043adf78bb4e67c208f9ffa72b38804ea6a0c4:
   * key A is RFC 8032 section 7.1 TEST 1, so its Ed25519 signatures are deterministic.
   * The vectors' keyid "A" is only a hint (DSSE: it must not decide anything), so it is
   * replaced by Vigil's key id before verifying.
   */
  const SEED_A = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
  const PUBLIC_A = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const keyA = createPrivateKey({ key: Buffer.from(`302e020100300506032b657004220420${SEED_A}`, 'hex'), format: 'der', type: 'pkcs8' });
  const INTOTO = 'application/vnd.in-toto+json';
  const STATEMENT = 'eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==';
  const vectors = [
    {
      id: 'single-signature',
      payloadType: INTOTO,
      payload: STATEMENT,
      sig: '2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==',
      pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d',
    },
    {
      id: 'url-safe-base64',
      payloadType: INTOTO,
      payload: '-_-_Pj8=',
      sig: 'P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==',
      pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203520fbffbf3e3f',
    },
    {
      id: 'non-ascii-payload-type',
      payloadType: 'application/vnd.exämple+json',
      payload: STATEMENT,
      sig: 'xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==',
      pae: '445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d',
    },
    {
      id: 'empty-payload',
      payloadType: INTOTO,
      payload: '',
      sig: 'gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==',
      pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020',
    },
  ];

  it('key A is the RFC 8032 TEST 1 key', () => {
    expect(createPublicKey(keyA).export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex')).toBe(PUBLIC_A);
  });

  it.each(vectors)('DSSE vector $id: the PAE bytes, the signature Vigil makes and its verification agree', (v) => {
    const body = decodeCanonicalBase64(v.payload)!;
    expect(body).toBeDefined();
    expect(pae(v.payloadType, body).toString('hex')).toBe(v.pae);
    expect(Buffer.from(signEnvelope(v.payloadType, body, keyA).signatures[0]!.sig, 'base64')).toEqual(decodeCanonicalBase64(v.sig));
    const envelope: Envelope = { payloadType: v.payloadType, payload: v.payload, signatures: [{ keyid: keyId(keyA), sig: v.sig }] };
    expect(verifyEnvelope(envelope, v.payloadType, keyId(keyA), createPublicKey(keyA))).toEqual(body);
  });

  it('DSSE vector payload-type-swapped: a signature over one type does not verify under another', () => {
    const envelope: Envelope = { payloadType: 'application/vnd.example.other+json', payload: STATEMENT, signatures: [{ keyid: keyId(keyA), sig: vectors[0]!.sig }] };
    expect(() => verifyEnvelope(envelope, 'application/vnd.example.other+json', keyId(keyA), createPublicKey(keyA))).toThrow(/bad-signature/);
  });
});

describe('canonical bytes and base64', () => {
  it('sorts keys at every depth, keeps array order, has no whitespace and writes UTF-8', () => {
    expect(canonicalBytes({ b: [3, 1, { z: true, a: null }], a: 'é', c: { y: 'x', x: -1 } }).toString('utf8')).toBe('{"a":"é","b":[3,1,{"a":null,"z":true}],"c":{"x":-1,"y":"x"}}');
    expect(canonicalBytes({ a: 'é' })).toEqual(Buffer.from('7b2261223a22c3a9227d', 'hex'));
  });

  it('refuses what has more than one spelling or none', () => {
    expect(() => canonicalBytes({ a: 1.5 })).toThrow(VigilError);
    expect(() => canonicalBytes({ a: undefined })).toThrow(VigilError);
    expect(() => canonicalBytes({ a: new Date(0) })).toThrow(VigilError);
  });

  it('decodes standard and URL-safe base64, each only in its canonical spelling', () => {
    expect(decodeCanonicalBase64('aGk=')).toEqual(Buffer.from('hi'));
    expect(decodeCanonicalBase64('-_-_Pj8=')).toEqual(Buffer.from('fbffbf3e3f', 'hex'));
    expect(decodeCanonicalBase64('-_-_Pj8')).toEqual(Buffer.from('fbffbf3e3f', 'hex'));
    expect(decodeCanonicalBase64('')).toEqual(Buffer.alloc(0));
    for (const bad of ['aGl=', 'aGk=\n', 'aG k=', ' aGk=', 'aGk==', '+_-/', 'aGk=aGk=', 'aGk%'])
      expect(decodeCanonicalBase64(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

describe('signed commands: the accepted case', () => {
  it('a command signed by a delegated online key verifies and returns exactly its payload', () => {
    const bytes = signCommand(commandPayload(), online.privateKey, signDelegation(delegationPayload(), root.privateKey), rootPem);
    expect(verifyCommand(bytes, TRUST, CTX)).toEqual(commandPayload());
    const opened = openSignedCommand(bytes, TRUST, CTX);
    expect(opened.keyid).toBe(online.keyid);
    expect(opened.delegation).toEqual(delegationPayload());
  });

  it('the wire form is canonical JSON carrying both envelopes and the root public key', () => {
    const bytes = signCommand(commandPayload(), online.privateKey, signDelegation(delegationPayload(), root.privateKey), rootPem);
    const parsed = JSON.parse(bytes.toString('utf8')) as { envelope: Envelope; delegation: Envelope; rootPublicKeyPem: string };
    expect(canonicalBytes(parsed)).toEqual(bytes);
    expect(Object.keys(parsed)).toEqual(['delegation', 'envelope', 'rootPublicKeyPem']);
    expect(parsed.envelope.payloadType).toBe(COMMAND_TYPE);
    expect(Buffer.from(parsed.envelope.payload, 'base64')).toEqual(canonicalBytes(commandPayload()));
    expect(parsed.envelope.signatures).toEqual([{ keyid: online.keyid, sig: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/) }]);
    expect(parsed.delegation.signatures[0]!.keyid).toBe(root.keyid);
    expect(parsed.rootPublicKeyPem).toBe(rootPem);
  });

  it('accepts at the edges of both windows, and a rescan without packages', () => {
    expect(outcome(wire({ envelope: commandEnvelope({ notBefore: at(0) }) }))).toBe('accepted');
    expect(outcome(wire({ envelope: commandEnvelope({ expiresAt: at(0) }) }))).toBe('accepted');
    expect(outcome(wire({ envelope: commandEnvelope({ action: 'rescan', packages: [] }) }))).toBe('accepted');
    expect(outcome(wire({ envelope: commandEnvelope({ expiresAt: at(7 * DAY) }) }), TRUST, { hostId: HOST, now: new Date(at(7 * DAY)) })).toBe('accepted');
  });

  it('the server refuses to sign what agents would refuse', () => {
    const d = signDelegation(delegationPayload(), root.privateKey);
    const sign = (over: Partial<CommandPayload>) => () => signCommand(commandPayload(over), online.privateKey, d, rootPem);
    expect(sign({ packages: [{ name: '--allow-unauthenticated', version: '1.0' }] })).toThrow(/bad-package/);
    expect(sign({ hostId: 'a b' })).toThrow(/malformed/);
    expect(() => signDelegation({ ...delegationPayload(), managers: ['pip' as PackageManager] }, root.privateKey)).toThrow(/malformed/);
  });
});

describe('signed commands: refused, with the reason', () => {
  const other = generateSigningKeyPair();
  const otherRoot = generateSigningKeyPair();
  const later = (ms: number) => ({ hostId: HOST, now: new Date(NOW.getTime() + ms) });
  const big = Buffer.alloc(65 * 1024, 0x61);
  const spacedPayload = Buffer.from(JSON.stringify(JSON.parse(canonicalBytes(commandPayload()).toString()), null, 1));
  // Duplicate keys: JSON.parse keeps the last, so the first hostId would be invisible to a lenient reader.
  const duplicatePayload = Buffer.from(canonicalBytes(commandPayload()).toString().replace(`"hostId":"${HOST}"`, `"hostId":"a-ffffffffffffffff","hostId":"${HOST}"`));
  const env = commandEnvelope();
  const wrapped = (s: string) => s.replace(/(.{40})/g, '$1\n');
  // A payload whose base64 ends in "==", so the last character before it carries 4 unused bits.
  const padded = ['c-1', 'c-12', 'c-123'].map((commandId) => commandEnvelope({ commandId })).find((e) => e.payload.endsWith('=='))!;
  const strayBits = (e: Envelope): Envelope => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const i = e.payload.length - 3;
    const payload = e.payload.slice(0, i) + ALPHABET[ALPHABET.indexOf(e.payload[i]!) ^ 1] + '==';
    expect(Buffer.from(payload, 'base64')).toEqual(Buffer.from(e.payload, 'base64'));
    return { ...e, payload };
  };

  const table: { case: string; bytes: () => Buffer; trust?: CommandTrust; ctx?: { hostId: string; now: Date }; reason: RefusalReason }[] = [
    { case: 'a command without a signature', bytes: () => wire({ envelope: { ...env, signatures: [] } }), reason: 'no-signature' },
    { case: 'a delegation without a signature', bytes: () => wire({ delegation: { ...delegationEnvelope(), signatures: [] } }), reason: 'no-signature' },
    { case: 'a command signed by a key the delegation does not list', bytes: () => wire({ envelope: commandEnvelope({}, other.privateKey) }), reason: 'unknown-key' },
    { case: 'a command whose keyid claims the online key but whose signature is by another', bytes: () => wire({ envelope: { ...commandEnvelope({}, other.privateKey), signatures: [{ keyid: online.keyid, sig: commandEnvelope({}, other.privateKey).signatures[0]!.sig }] } }), reason: 'bad-signature' },
    { case: 'a command signed by a key revoked locally', bytes: () => wire(), trust: { rootKeyId: root.keyid, revoked: new Set([online.keyid]) }, reason: 'key-revoked' },
    { case: 'a command signed by a key the delegation revokes', bytes: () => wire({ delegation: delegationEnvelope({ revokedKeys: [online.keyid] }) }), reason: 'key-revoked' },
    {
      case: 'a rotated-out key with the new delegation',
      bytes: () => wire({ envelope: commandEnvelope(), delegation: delegationEnvelope({ keys: [{ keyid: other.keyid, publicKeyPem: publicKeyPem(other.publicKey) }], revokedKeys: [online.keyid], serial: 43 }) }),
      reason: 'unknown-key',
    },
    { case: 'an old delegation after a newer one was seen', bytes: () => wire(), trust: { rootKeyId: root.keyid, minSerial: 43 }, reason: 'delegation-rolled-back' },
    { case: 'a payload with one byte altered', bytes: () => wire({ envelope: tamperPayload(env, (b) => flipByte(b, 40)) }), reason: 'bad-signature' },
    { case: 'a payload with one byte appended', bytes: () => wire({ envelope: tamperPayload(env, (b) => Buffer.concat([b, Buffer.from(' ')])) }), reason: 'bad-signature' },
    { case: 'a signature with one byte altered', bytes: () => wire({ envelope: { ...env, signatures: [{ keyid: online.keyid, sig: flipByte(Buffer.from(env.signatures[0]!.sig, 'base64'), 10).toString('base64') }] } }), reason: 'bad-signature' },
    { case: 'a truncated signature', bytes: () => wire({ envelope: { ...env, signatures: [{ keyid: online.keyid, sig: Buffer.from(env.signatures[0]!.sig, 'base64').subarray(0, 63).toString('base64') }] } }), reason: 'bad-signature' },
    { case: "another host's command", bytes: () => wire({ envelope: commandEnvelope({ hostId: 'a-ffffffffffffffff' }) }), reason: 'wrong-host' },
    { case: 'an expired command', bytes: () => wire(), ctx: later(HOUR + 1), reason: 'expired' },
    { case: 'a command not yet valid', bytes: () => wire(), ctx: later(-2 * MIN), reason: 'not-yet-valid' },
    {
      case: 'a stolen online key used after its delegation expired',
      bytes: () => wire({ envelope: commandEnvelope({ issuedAt: at(8 * DAY), notBefore: at(8 * DAY), expiresAt: at(8 * DAY + HOUR) }) }),
      ctx: later(8 * DAY + MIN),
      reason: 'delegation-expired',
    },
    { case: 'a delegation not yet valid', bytes: () => wire({ delegation: delegationEnvelope({ notBefore: at(HOUR) }) }), reason: 'delegation-not-yet-valid' },
    { case: 'an action the delegation does not allow', bytes: () => wire({ delegation: delegationEnvelope({ actions: ['rescan'] }) }), reason: 'action-not-delegated' },
    { case: 'a manager the delegation does not allow', bytes: () => wire({ delegation: delegationEnvelope({ managers: ['dnf'] }) }), reason: 'manager-not-delegated' },
    { case: 'a command expiring after its delegation', bytes: () => wire({ delegation: delegationEnvelope({ expiresAt: at(30 * MIN) }) }), reason: 'outlives-delegation' },
    { case: 'an unknown action', bytes: () => wire({ envelope: commandEnvelope({ action: 'exec' }) }), reason: 'unknown-action' },
    { case: 'an unknown package manager', bytes: () => wire({ envelope: commandEnvelope({ manager: 'pip' }) }), reason: 'unknown-manager' },
    { case: 'an envelope of 65 KiB', bytes: () => wire({ envelope: signEnvelope(COMMAND_TYPE, big, online.privateKey) }), reason: 'oversized' },
    { case: '65 KiB of anything, before it is parsed', bytes: () => Buffer.alloc(65 * 1024, 0x7b), reason: 'oversized' },
    { case: 'a payload in line-wrapped base64 (the same bytes, another spelling)', bytes: () => wire({ envelope: { ...env, payload: wrapped(env.payload) } }), reason: 'malformed' },
    { case: 'a payload in base64 with stray bits (the same bytes, another spelling)', bytes: () => wire({ envelope: strayBits(padded) }), reason: 'malformed' },
    { case: 'a signature in line-wrapped base64', bytes: () => wire({ envelope: { ...env, signatures: [{ keyid: online.keyid, sig: wrapped(env.signatures[0]!.sig) }] } }), reason: 'malformed' },
    { case: 'a signed payload with duplicate keys', bytes: () => wire({ envelope: signEnvelope(COMMAND_TYPE, duplicatePayload, online.privateKey) }), reason: 'malformed' },
    { case: 'a signed payload with whitespace', bytes: () => wire({ envelope: signEnvelope(COMMAND_TYPE, spacedPayload, online.privateKey) }), reason: 'malformed' },
    { case: 'a wire form with duplicate keys', bytes: () => Buffer.from(wire().toString().replace('{"delegation":', `{"delegation":${JSON.stringify(delegationEnvelope())},"delegation":`)), reason: 'malformed' },
    { case: 'a wire form that is not JSON', bytes: () => Buffer.from('{"delegation":'), reason: 'malformed' },
    { case: 'a command with an extra field', bytes: () => wire({ envelope: commandEnvelope({ shell: 'id' }) }), reason: 'malformed' },
    { case: 'a command with a missing field', bytes: () => wire({ envelope: signEnvelope(COMMAND_TYPE, canonicalBytes(withoutJobId()), online.privateKey) }), reason: 'malformed' },
    { case: 'a command with a field of the wrong type', bytes: () => wire({ envelope: commandEnvelope({ packages: 'openssl' }) }), reason: 'malformed' },
    { case: 'a command with an extra option', bytes: () => wire({ envelope: commandEnvelope({ options: { reboot: 'never', preInvoke: 'id' } }) }), reason: 'malformed' },
    { case: 'a package with an extra field', bytes: () => wire({ envelope: commandEnvelope({ packages: [{ name: 'openssl', version: '3.0.15-1', arch: 'amd64' }] }) }), reason: 'malformed' },
    { case: 'a command of version 2', bytes: () => wire({ envelope: commandEnvelope({ version: 2 }) }), reason: 'malformed' },
    { case: 'a command with a time that is not ISO UTC', bytes: () => wire({ envelope: commandEnvelope({ expiresAt: '2025-06-01 13:00:00' }) }), reason: 'malformed' },
    { case: 'a delegation with an extra field', bytes: () => wire({ delegation: delegationEnvelope({ note: 'x' }) }), reason: 'malformed' },
    { case: 'a delegation whose key id does not name its key', bytes: () => wire({ delegation: delegationEnvelope({ keys: [{ keyid: online.keyid, publicKeyPem: publicKeyPem(other.publicKey) }] }) }), reason: 'malformed' },
    { case: 'an envelope with an extra field', bytes: () => wire({ envelope: { ...env, note: 'x' } as Envelope }), reason: 'malformed' },
    { case: 'a signature with an extra field', bytes: () => wire({ envelope: { ...env, signatures: [{ ...env.signatures[0]!, cert: 'x' } as Signature] } }), reason: 'malformed' },
    { case: 'a command envelope of the delegation type', bytes: () => wire({ envelope: signEnvelope(DELEGATION_TYPE, canonicalBytes(commandPayload()), online.privateKey) }), reason: 'wrong-payload-type' },
    { case: 'a delegation signed by another root that travels with its own public key', bytes: () => wire({ delegation: delegationEnvelope({}, otherRoot.privateKey), rootPublicKeyPem: publicKeyPem(otherRoot.publicKey) }), reason: 'unknown-key' },
    {
      case: 'a delegation signed by another root, claiming the pinned key id, with its own public key',
      bytes: () => {
        const d = delegationEnvelope({}, otherRoot.privateKey);
        return wire({ delegation: { ...d, signatures: [{ keyid: root.keyid, sig: d.signatures[0]!.sig }] }, rootPublicKeyPem: publicKeyPem(otherRoot.publicKey) });
      },
      reason: 'unknown-key',
    },
    {
      case: 'a delegation signed by another root, claiming the pinned key id, with the real root public key',
      bytes: () => {
        const d = delegationEnvelope({}, otherRoot.privateKey);
        return wire({ delegation: { ...d, signatures: [{ keyid: root.keyid, sig: d.signatures[0]!.sig }] } });
      },
      reason: 'bad-signature',
    },
    { case: 'a delegation signed by the online key itself', bytes: () => wire({ delegation: delegationEnvelope({}, online.privateKey) }), reason: 'unknown-key' },
    { case: 'a root public key that is not a plain SPKI PEM', bytes: () => wire({ rootPublicKeyPem: rootPem.replace(/\n/g, '\r\n') }), reason: 'malformed' },
  ];

  it.each(table)('$case → $reason', (t) => {
    expect(outcome(t.bytes(), t.trust, t.ctx)).toBe(t.reason);
  });

  it('the refusal is an INVALID_INPUT VigilError whose one-line message names the reason', () => {
    try {
      verifyCommand(wire({ envelope: commandEnvelope({ hostId: 'a-ffffffffffffffff' }) }), TRUST, CTX);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(VigilError);
      expect((err as CommandRefused).code).toBe('INVALID_INPUT');
      expect((err as Error).message).toBe(`command refused (wrong-host): the command is for host a-ffffffffffffffff, this is ${HOST}`);
    }
  });

  it('a refusal stays one line whatever keyid the sender claims', () => {
    const claimed = { ...env, signatures: [{ keyid: 'x\nvigil: accepted', sig: env.signatures[0]!.sig }] };
    expect(() => verifyCommand(wire({ envelope: claimed }), TRUST, CTX)).toThrow(/^command refused \(unknown-key\): the command is signed by "x\\nvigil: accepted", which the delegation does not list$/);
  });

  it('the size limit is 64 KiB of wire bytes', () => {
    expect(MAX_SIGNED_COMMAND_BYTES).toBe(65536);
  });
});

describe('package names and versions', () => {
  const hostile = [
    '-o APT::Update::Pre-Invoke::=touch /tmp/x',
    '--allow-unauthenticated',
    '-oAPT::Get::AllowUnauthenticated=true',
    'open ssl',
    'openssl;id',
    'openssl$(id)',
    '$(id)',
    'openssl`id`',
    '`id`',
    'openssl\nid',
    'openssl\n',
    'openssl\0',
    "openssl'",
    'openssl"',
    'openssl=3.0',
    'openssl/bookworm',
    '../openssl',
    'openssl|id',
    'openssl&',
    'openssl>x',
    'openssl\t',
    '',
    'a'.repeat(129),
  ];

  const managers: PackageManager[] = ['apt', 'dnf', 'yum', 'zypper', 'apk'];
  it.each(managers)('%s refuses option-like, shell and quoting characters in names and versions', (m) => {
    for (const s of hostile) {
      expect(validPackageName(m, s), `name ${JSON.stringify(s)}`).toBe(false);
      expect(validPackageVersion(m, s), `version ${JSON.stringify(s)}`).toBe(false);
      // Inside a version, a hyphen is only a separator: `1.0--allow-unauthenticated` is a valid Debian version, and harmless.
      if (/[^A-Za-z0-9.+~:_^-]/.test(s)) expect(validPackageVersion(m, `1.0${s}`), `version 1.0${JSON.stringify(s)}`).toBe(false);
    }
    expect(validPackageVersion(m, '1' + '.0'.repeat(64))).toBe(false);
  });

  const bad = (name: string, version: string) => wire({ envelope: commandEnvelope({ packages: [{ name, version }] }) });
  it.each([
    ['-o APT::Update::Pre-Invoke::=touch /tmp/x', '1.0-1'],
    ['--allow-unauthenticated', '1.0-1'],
    ['open ssl', '1.0-1'],
    ['openssl;id', '1.0-1'],
    ['openssl$(id)', '1.0-1'],
    ['openssl`id`', '1.0-1'],
    ['openssl\nid', '1.0-1'],
    ['openssl', '1.0 -1'],
    ['openssl', '1.0;id'],
    ['openssl', '$(id)'],
    ['openssl', '`id`'],
    ['openssl', '1.0\n'],
    ['openssl', '--allow-unauthenticated'],
  ])('a command for package %j version %j is refused as bad-package', (name, version) => {
    expect(outcome(bad(name, version))).toBe('bad-package');
  });

  it('a patch command without packages, a rescan with packages, a package named twice or 257 packages are refused', () => {
    expect(outcome(wire({ envelope: commandEnvelope({ packages: [] }) }))).toBe('bad-package');
    expect(outcome(wire({ envelope: commandEnvelope({ action: 'rescan' }) }))).toBe('bad-package');
    expect(outcome(wire({ envelope: commandEnvelope({ packages: [{ name: 'a1', version: '1' }, { name: 'a1', version: '2' }] }) }))).toBe('bad-package');
    const many = Array.from({ length: 257 }, (_, i) => ({ name: `p${i}`, version: '1' }));
    expect(outcome(wire({ envelope: commandEnvelope({ packages: many }) }))).toBe('malformed');
  });

  it('Debian: policy 5.6.1 names and 5.6.12 versions', () => {
    for (const n of ['openssl', 'libc6', 'g++', 'libstdc++6', '0ad', 'xz-utils', 'python3.11']) expect(validPackageName('apt', n), n).toBe(true);
    for (const n of ['a', 'OpenSSL', 'lib_foo', '+foo', '.foo']) expect(validPackageName('apt', n), n).toBe(false);
    for (const v of ['1', '3.0.15-1~deb12u1', '1:2.38-4', '2.36-9+deb12u9', '1.0+dfsg-1-2', '0~20230101', '1:1.2.3~rc1+b1']) expect(validPackageVersion('apt', v), v).toBe(true);
    for (const v of ['a1.0', '1.0-', ':1.0', '1:', 'x:1.0', '1.0_1', '1.0-1_2', '1.0-1:2', '1.0:1']) expect(validPackageVersion('apt', v), v).toBe(false);
  });

  it('every name and version Vigil accepts for apt, dpkg accepts too', () => {
    const candidates = ['1', '1:2.0-1', '1.0+dfsg-1-2', '0~20230101', '1:1.2.3~rc1+b1', '3.0.15-1~deb12u1', '2.36-9+deb12u9'];
    for (const v of candidates) {
      expect(validPackageVersion('apt', v)).toBe(true);
      execFileSync('dpkg', ['--validate-version', v], { stdio: 'pipe' });
    }
    for (const n of ['openssl', 'g++', 'libstdc++6', '0ad']) execFileSync('dpkg', ['--validate-pkgname', n], { stdio: 'pipe' });
  });

  it('every package of the Debian 12 minbase fixture and of this host passes the apt grammar', () => {
    const fixture = JSON.parse(readFileSync(path.join(PKGDB, 'debian12-minbase-status.expected.json'), 'utf8')) as { packages: { name: string; version: string }[] };
    const host = execFileSync('dpkg-query', ['-W', '-f', '${Package}\t${Version}\n'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => ({ name: l.split('\t')[0]!, version: l.split('\t')[1]! }));
    const all = [...fixture.packages, ...host];
    expect(all.length).toBeGreaterThan(88);
    expect(all.filter((p) => !validPackageName('apt', p.name) || !validPackageVersion('apt', p.version))).toEqual([]);
  });

  it('rpm: every package of the rpm fixtures passes, as name and [epoch:]version-release', () => {
    const pkgs = ['cbl-mariner-2.0', 'sle15-bci-ndb', 'libuuid-bdb', 'syft-dive-bdb'].flatMap(
      (d) => (JSON.parse(readFileSync(path.join(PKGDB, 'rpm', d, 'expected.json'), 'utf8')) as { packages: { name: string; epoch: number | null; version: string; release: string }[] }).packages,
    );
    expect(pkgs.length).toBeGreaterThan(150);
    for (const m of ['dnf', 'yum', 'zypper'] as const) {
      expect(pkgs.filter((p) => !validPackageName(m, p.name) || !validPackageVersion(m, `${p.epoch === null ? '' : `${p.epoch}:`}${p.version}-${p.release}`))).toEqual([]);
    }
    for (const v of ['3.0.7-27.el9', '1:1.2.3-4.fc40', '1.0~rc1-1', '2.0^20230101git-1', '20190513', '0.51-439.module_el8.4.0+2367+01326e37']) expect(validPackageVersion('dnf', v), v).toBe(true);
    for (const v of ['1.0-1-1', '-1', '1.0-', '~1', '1:', 'x:1']) expect(validPackageVersion('dnf', v), v).toBe(false);
    for (const n of ['NetworkManager', 'perl-Data-Dumper', 'python3.11', 'libstdc++']) expect(validPackageName('dnf', n), n).toBe(true);
  });

  it('apk: every package of the apk fixtures passes, and the version grammar agrees with apk_version_validate', () => {
    const pkgs = ['trivy-apk', 'syft-multiple-1', 'syft-multiple-2', 'syft-corrupt'].flatMap(
      (d) => (JSON.parse(readFileSync(path.join(PKGDB, 'apk', d, 'expected.json'), 'utf8')) as { packages: { name: string; version?: string }[] }).packages,
    );
    const complete = pkgs.filter((p): p is { name: string; version: string } => p.version !== undefined);
    expect(complete.length).toBeGreaterThan(30);
    expect(complete.filter((p) => !validPackageName('apk', p.name) || !validPackageVersion('apk', p.version))).toEqual([]);
    const corpus = (JSON.parse(readFileSync(path.join(PKGDB, '../versions/apk.json'), 'utf8')) as { a: string; b: string }[]).flatMap((v) => [v.a, v.b]);
    const extra = ['1.0-r', '1..2', '1.0_foo', 'v1.0', '1.0_', '1.0_rc1_p2~ab12-r3', '2.0a-r5', '1.0ab', '1.0a1', '1.0~', '1.0-r1-r2', '1.0~AB'];
    // apk_version_validate's grammar: what the scheme orders without calling it unusual.
    const validByApk = (s: string) => {
      try {
        apkScheme.validate(s);
        return apkScheme.unusual(s) === undefined;
      } catch {
        return false;
      }
    };
    const disagree = [...new Set([...corpus, ...extra])].filter((s) => s.length <= 128 && validPackageVersion('apk', s) !== validByApk(s));
    expect(disagree).toEqual([]);
  });
});

describe('key files', () => {
  const tmp = tempDir('vigil-signing-');
  afterAll(() => tmp.cleanup());

  it('writes PKCS#8 and SPKI PEM, 0600, reads them back, and never overwrites', () => {
    const pair = generateSigningKeyPair();
    const files = writeKeyPair(tmp.dir, 'root', pair);
    expect(readFileSync(files.privateKeyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(files.publicKeyFile, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(statSync(files.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(statSync(files.publicKeyFile).mode & 0o777).toBe(0o600);
    expect(keyId(readPrivateKeyFile(files.privateKeyFile))).toBe(pair.keyid);
    expect(keyId(readPublicKeyFile(files.publicKeyFile))).toBe(pair.keyid);
    expect(() => writeKeyPair(tmp.dir, 'root', generateSigningKeyPair())).toThrow(/already exists/);
    expect(keyId(readPrivateKeyFile(files.privateKeyFile))).toBe(pair.keyid);
  });

  it('the key id is the SHA-256 of the SPKI DER, and a wire PEM must be exactly an Ed25519 SPKI PEM', () => {
    const pair = generateSigningKeyPair();
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    expect(pair.keyid).toBe(execFileSync('sha256sum', { input: der, encoding: 'utf8' }).split(' ')[0]);
    expect(keyId(pair.privateKey)).toBe(pair.keyid);
    expect(keyId(parsePublicKeyPem(publicKeyPem(pair.publicKey)))).toBe(pair.keyid);
    expect(() => parsePublicKeyPem(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(/SPKI/);
    expect(() => parsePublicKeyPem('garbage')).toThrow(/PEM/);
  });
});
