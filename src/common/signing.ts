import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from './errors.js';
import { createSecretFile } from './secret-files.js';

/**
 * Signed commands (DESIGN §6): a compromised server must not mean code execution
 * across the fleet. An offline root key signs short-lived delegations of online
 * keys, each limited to actions and package managers; the server signs every
 * command with an online key and sends the delegation with it. Agents pin only the
 * root key's fingerprint, so the online key rotates without re-enrollment.
 *
 * Envelopes follow DSSE (secure-systems-lab/dsse, protocol.md): the signature
 * covers PAE(payloadType, payload), so a signature for one type never passes for
 * another. A verifier checks the exact bytes it received and parses only those; it
 * never re-serialises to verify.
 *
 * Node's crypto only: the executor, which re-verifies everything as root, loads
 * this module and should load nothing else.
 */

export const DELEGATION_TYPE = 'application/vnd.vigil.delegation+json';
export const COMMAND_TYPE = 'application/vnd.vigil.command+json';
/** Checked on the raw bytes, before any parsing. */
export const MAX_SIGNED_COMMAND_BYTES = 64 * 1024;

export const ACTIONS = ['patch', 'rescan', 'rotate-keys'] as const;
export type Action = (typeof ACTIONS)[number];
export const MANAGERS = ['apt', 'dnf', 'yum', 'zypper', 'apk'] as const;
export type PackageManager = (typeof MANAGERS)[number];
export const REBOOT_POLICIES = ['never', 'if-required'] as const;
export type RebootPolicy = (typeof REBOOT_POLICIES)[number];

export const MAX_PACKAGE_NAME = 128;
export const MAX_PACKAGE_VERSION = 128;
export const MAX_PACKAGES = 256;
export const MAX_DELEGATED_KEYS = 16;
/** Revocations travel in every delegation, which must still fit in a signed command. */
export const MAX_REVOKED_KEYS = 512;

/** Files of a server's signing directory, as `vigil keys rotate` writes them. */
export const SIGNING_FILES = { onlineKey: 'online.key', onlinePub: 'online.pub', delegation: 'delegation.json', rootPub: 'root.pub' } as const;

export interface Signature {
  keyid: string;
  sig: string;
}

export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: Signature[];
}

export interface DelegatedKey {
  keyid: string;
  publicKeyPem: string;
}

export interface DelegationPayload {
  version: 1;
  keys: DelegatedKey[];
  actions: Action[];
  managers: PackageManager[];
  notBefore: string;
  expiresAt: string;
  issuedAt: string;
  serial: number;
  revokedKeys: string[];
}

export interface PackagePin {
  name: string;
  /** The fixed version: the package is installed at it, or is already at or above it. */
  version: string;
}

export interface CommandPayload {
  version: 1;
  commandId: string;
  hostId: string;
  jobId: string;
  issuedAt: string;
  notBefore: string;
  expiresAt: string;
  action: Action;
  manager: PackageManager;
  packages: PackagePin[];
  options: { reboot: RebootPolicy };
}

export const REFUSAL_REASONS = [
  'oversized',
  'malformed',
  'no-signature',
  'unknown-key',
  'bad-signature',
  'wrong-payload-type',
  'delegation-expired',
  'delegation-not-yet-valid',
  'delegation-rolled-back',
  'key-revoked',
  'action-not-delegated',
  'manager-not-delegated',
  'wrong-host',
  'expired',
  'not-yet-valid',
  'outlives-delegation',
  'unknown-action',
  'unknown-manager',
  'bad-package',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Why a signed command or delegation is not acted on; `reason` is for machines, the message for people. */
export class CommandRefused extends VigilError {
  readonly reason: RefusalReason;
  /** The message without the `command refused (reason)` prefix. */
  readonly detail: string;
  constructor(reason: RefusalReason, detail: string) {
    super('INVALID_INPUT', `command refused (${reason}): ${detail}`);
    this.name = 'CommandRefused';
    this.reason = reason;
    this.detail = detail;
  }
}

const refuse = (reason: RefusalReason, detail: string): never => {
  throw new CommandRefused(reason, detail);
};

// ---- keys ----

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyid: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyid: keyId(publicKey) };
}

function publicOf(key: KeyObject): KeyObject {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.type !== 'public' || pub.asymmetricKeyType !== 'ed25519')
    throw new VigilError('INVALID_INPUT', `signing keys are Ed25519, not ${pub.asymmetricKeyType ?? pub.type}`);
  return pub;
}

/** Lowercase hex SHA-256 of the public key's SPKI DER: the fingerprint agents pin. A private key names its public half. */
export function keyId(key: KeyObject): string {
  return createHash('sha256').update(publicOf(key).export({ type: 'spki', format: 'der' })).digest('hex');
}

export const isKeyId = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);

export function publicKeyPem(key: KeyObject): string {
  return publicOf(key).export({ type: 'spki', format: 'pem' }) as string;
}

export function privateKeyPem(key: KeyObject): string {
  if (key.type !== 'private') throw new VigilError('INVALID_INPUT', 'not a private key');
  publicOf(key);
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/**
 * An Ed25519 public key from exactly the SPKI PEM that publicKeyPem writes. Node
 * would also take a certificate or a private key here and derive a public key from
 * it; a key that travels on the wire gets no such latitude.
 */
export function parsePublicKeyPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new VigilError('INVALID_INPUT', 'not a PEM public key', { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new VigilError('INVALID_INPUT', `signing keys are Ed25519, not ${key.asymmetricKeyType}`);
  if (key.export({ type: 'spki', format: 'pem' }) !== pem) throw new VigilError('INVALID_INPUT', 'public key is not a plain SPKI PEM');
  return key;
}

export function parsePrivateKeyPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new VigilError('INVALID_INPUT', 'not an unencrypted PEM private key', { cause: err });
  }
  publicOf(key);
  return key;
}

function readKeyFile<T>(file: string, parse: (pem: string) => T): T {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot read key file ${file}: ${code ?? (err as Error).message}`, { cause: err });
  }
  try {
    return parse(pem);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', `${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function readPrivateKeyFile(file: string): KeyObject {
  return readKeyFile(file, parsePrivateKeyPem);
}

export function readPublicKeyFile(file: string): KeyObject {
  return readKeyFile(file, (pem) => parsePublicKeyPem(pem.trim() + '\n'));
}

/** `<dir>/<name>.key` (PKCS#8) and `<dir>/<name>.pub` (SPKI), both 0600, never overwriting either. */
export function writeKeyPair(dir: string, name: string, pair: SigningKeyPair): { privateKeyFile: string; publicKeyFile: string } {
  const privateKeyFile = path.join(dir, `${name}.key`);
  const publicKeyFile = path.join(dir, `${name}.pub`);
  createSecretFile(privateKeyFile, privateKeyPem(pair.privateKey));
  createSecretFile(publicKeyFile, publicKeyPem(pair.publicKey));
  return { privateKeyFile, publicKeyFile };
}

// ---- encodings ----

/** DSSE's pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes. */
export function pae(type: string, body: Buffer): Buffer {
  const t = Buffer.from(type, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `, 'ascii'), t, Buffer.from(` ${body.length} `, 'ascii'), body]);
}

/**
 * Standard or URL-safe base64 (DSSE verifiers must take either), refused unless the
 * string is exactly how its bytes encode: no stray bits, padding, whitespace or
 * mixed alphabets, so one payload has one spelling.
 */
export function decodeCanonicalBase64(s: string): Buffer | undefined {
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    const b = Buffer.from(s, 'base64');
    if (b.toString('base64') === s) return b;
  }
  if (/^[A-Za-z0-9_-]*={0,2}$/.test(s)) {
    const b = Buffer.from(s, 'base64url');
    const e = b.toString('base64url');
    if (e === s || e + '='.repeat((4 - (e.length % 4)) % 4) === s) return b;
  }
  return undefined;
}

function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    // Integers only: every other number has more than one spelling.
    if (!Number.isSafeInteger(v)) throw new VigilError('INVALID_INPUT', `canonical JSON has integers only, not ${v}`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  throw new VigilError('INVALID_INPUT', `canonical JSON cannot hold ${typeof v}`);
}

/**
 * The one byte form of a JSON value: keys sorted (by UTF-16 code unit, the same as
 * by byte for the ASCII keys Vigil uses), no whitespace, UTF-8, integers only.
 */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** JSON that must already be canonical: duplicate keys, whitespace or reordering make it another document. */
function parseCanonical(bytes: Buffer, what: string): unknown {
  let value: unknown;
  let again: Buffer | undefined;
  try {
    value = JSON.parse(bytes.toString('utf8'));
    again = canonicalBytes(value);
  } catch {
    /* refused below */
  }
  if (!again) return refuse('malformed', `${what} is not JSON with integer numbers`);
  if (!again.equals(bytes)) return refuse('malformed', `${what} is not canonical JSON (sorted keys, no whitespace, no duplicate keys)`);
  return value;
}

// ---- schema ----

type Obj = Record<string, unknown>;

function object(v: unknown, keys: readonly string[], what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return refuse('malformed', `${what} is not an object`);
  const o = v as Obj;
  const extra = Object.keys(o).find((k) => !keys.includes(k));
  if (extra !== undefined) refuse('malformed', `${what} has an unknown field ${JSON.stringify(extra)}`);
  const missing = keys.find((k) => !Object.hasOwn(o, k));
  if (missing !== undefined) refuse('malformed', `${what} lacks ${missing}`);
  return o;
}

function text(o: Obj, k: string, what: string, pattern: RegExp, kind: string): string {
  const v = o[k];
  if (typeof v !== 'string' || !pattern.test(v)) return refuse('malformed', `${what}.${k} is not ${kind}: ${JSON.stringify(v)}`);
  return v;
}

function list(o: Obj, k: string, what: string, max: number): unknown[] {
  const v = o[k];
  if (!Array.isArray(v)) return refuse('malformed', `${what}.${k} is not a list`);
  if (v.length > max) refuse('malformed', `${what}.${k} has ${v.length} entries, more than ${max}`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): v is T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v);
}

function enumList<T extends string>(o: Obj, k: string, what: string, allowed: readonly T[]): T[] {
  const v = list(o, k, what, allowed.length);
  for (const x of v) if (!oneOf(x, allowed)) refuse('malformed', `${what}.${k} has ${JSON.stringify(x)}, not one of ${allowed.join(', ')}`);
  if (new Set(v).size !== v.length) refuse('malformed', `${what}.${k} repeats an entry`);
  return v as T[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const KEYID = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as Date#toISOString writes it, and a real one (no February 30th). */
function instant(o: Obj, k: string, what: string): string {
  const v = o[k];
  if (typeof v !== 'string' || !ISO_TIME.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString() !== v)
    return refuse('malformed', `${what}.${k} is not an ISO 8601 UTC time like 2025-01-31T12:00:00.000Z: ${JSON.stringify(v)}`);
  return v;
}

function version1(o: Obj, what: string): 1 {
  if (o.version !== 1) refuse('malformed', `${what} version ${JSON.stringify(o.version)} is not 1`);
  return 1;
}

const DELEGATION_FIELDS = ['version', 'keys', 'actions', 'managers', 'notBefore', 'expiresAt', 'issuedAt', 'serial', 'revokedKeys'] as const;

/** A delegation payload, field by field; nothing unknown, nothing missing. Throws CommandRefused. */
export function parseDelegationPayload(v: unknown): DelegationPayload {
  const what = 'delegation';
  const o = object(v, DELEGATION_FIELDS, what);
  const keys = list(o, 'keys', what, MAX_DELEGATED_KEYS).map((k, i): DelegatedKey => {
    const ko = object(k, ['keyid', 'publicKeyPem'], `${what}.keys[${i}]`);
    const keyid = text(ko, 'keyid', `${what}.keys[${i}]`, KEYID, 'a key id');
    const pem = ko.publicKeyPem;
    let key: KeyObject | undefined;
    try {
      if (typeof pem === 'string') key = parsePublicKeyPem(pem);
    } catch {
      /* refused below */
    }
    if (!key || typeof pem !== 'string') return refuse('malformed', `${what}.keys[${i}].publicKeyPem is not an Ed25519 SPKI PEM`);
    if (keyId(key) !== keyid) refuse('malformed', `${what}.keys[${i}] names key ${keyid} but carries key ${keyId(key)}`);
    return { keyid, publicKeyPem: pem };
  });
  if (new Set(keys.map((k) => k.keyid)).size !== keys.length) refuse('malformed', `${what}.keys lists a key twice`);
  const revokedKeys = list(o, 'revokedKeys', what, MAX_REVOKED_KEYS).map((k, i) => {
    if (typeof k !== 'string' || !KEYID.test(k)) return refuse('malformed', `${what}.revokedKeys[${i}] is not a key id: ${JSON.stringify(k)}`);
    return k;
  });
  if (!Number.isSafeInteger(o.serial) || (o.serial as number) < 0) refuse('malformed', `${what}.serial is not a non-negative integer`);
  return {
    version: version1(o, what),
    keys,
    actions: enumList(o, 'actions', what, ACTIONS),
    managers: enumList(o, 'managers', what, MANAGERS),
    notBefore: instant(o, 'notBefore', what),
    expiresAt: instant(o, 'expiresAt', what),
    issuedAt: instant(o, 'issuedAt', what),
    serial: o.serial as number,
    revokedKeys,
  };
}

const COMMAND_FIELDS = ['version', 'commandId', 'hostId', 'jobId', 'issuedAt', 'notBefore', 'expiresAt', 'action', 'manager', 'packages', 'options'] as const;

/**
 * A command payload, field by field. Package names and versions are only checked to
 * be strings here; their grammar is the last check of verifyCommand.
 */
export function parseCommandPayload(v: unknown): CommandPayload {
  const what = 'command';
  const o = object(v, COMMAND_FIELDS, what);
  const version = version1(o, what);
  const commandId = text(o, 'commandId', what, ID, 'an id');
  const hostId = text(o, 'hostId', what, ID, 'an id');
  const jobId = text(o, 'jobId', what, ID, 'an id');
  const issuedAt = instant(o, 'issuedAt', what);
  const notBefore = instant(o, 'notBefore', what);
  const expiresAt = instant(o, 'expiresAt', what);
  if (!oneOf(o.action, ACTIONS)) return refuse('unknown-action', `${JSON.stringify(o.action)} is not one of ${ACTIONS.join(', ')}`);
  if (!oneOf(o.manager, MANAGERS)) return refuse('unknown-manager', `${JSON.stringify(o.manager)} is not one of ${MANAGERS.join(', ')}`);
  const packages = list(o, 'packages', what, MAX_PACKAGES).map((p, i): PackagePin => {
    const po = object(p, ['name', 'version'], `${what}.packages[${i}]`);
    if (typeof po.name !== 'string' || typeof po.version !== 'string') return refuse('malformed', `${what}.packages[${i}] name and version must be strings`);
    return { name: po.name, version: po.version };
  });
  const opts = object(o.options, ['reboot'], `${what}.options`);
  if (!oneOf(opts.reboot, REBOOT_POLICIES)) return refuse('malformed', `${what}.options.reboot is not one of ${REBOOT_POLICIES.join(', ')}`);
  return { version, commandId, hostId, jobId, issuedAt, notBefore, expiresAt, action: o.action, manager: o.manager, packages, options: { reboot: opts.reboot } };
}

/** An envelope's shape: exactly payloadType, payload and signatures of exactly keyid and sig. */
export function parseEnvelope(v: unknown, what = 'envelope'): Envelope {
  const o = object(v, ['payloadType', 'payload', 'signatures'], what);
  if (typeof o.payloadType !== 'string' || typeof o.payload !== 'string') return refuse('malformed', `${what} payloadType and payload must be strings`);
  const signatures = list(o, 'signatures', what, 8).map((s, i): Signature => {
    const so = object(s, ['keyid', 'sig'], `${what}.signatures[${i}]`);
    if (typeof so.keyid !== 'string' || typeof so.sig !== 'string') return refuse('malformed', `${what}.signatures[${i}] keyid and sig must be strings`);
    return { keyid: so.keyid, sig: so.sig };
  });
  return { payloadType: o.payloadType, payload: o.payload, signatures };
}

// ---- package grammar ----

const DEB_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
// Policy 5.6.12: [epoch:]upstream[-revision]; upstream starts with a digit and holds a
// hyphen only when a revision follows; the revision has no hyphen.
const DEB_VERSION = /^(?:[0-9]{1,9}:)?[0-9](?:[A-Za-z0-9.+~]*|[A-Za-z0-9.+~-]*-[A-Za-z0-9.+~]+)$/;
const RPM_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
// [epoch:]version[-release] as dnf, yum and zypper take it; neither part holds a hyphen.
const RPM_VERSION = /^(?:[0-9]{1,9}:)?[A-Za-z0-9][A-Za-z0-9._+~^]*(?:-[A-Za-z0-9][A-Za-z0-9._+~^]*)?$/;
// abuild refuses upper case in pkgname.
const APK_NAME = /^[a-z0-9][a-z0-9+._-]*$/;
// What apk-tools' apk_version_validate takes (see src/versions/apk.ts):
// digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}.
const APK_VERSION = /^[0-9]+(?:\.[0-9]+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(?:~[0-9a-f]+)?(?:-r[0-9]+)?$/;

const GRAMMAR: Record<PackageManager, { name: RegExp; version: RegExp }> = {
  apt: { name: DEB_NAME, version: DEB_VERSION },
  dnf: { name: RPM_NAME, version: RPM_VERSION },
  yum: { name: RPM_NAME, version: RPM_VERSION },
  zypper: { name: RPM_NAME, version: RPM_VERSION },
  apk: { name: APK_NAME, version: APK_VERSION },
};

/**
 * Whether a package name is safe to hand to the manager as one argv entry. Each
 * pattern starts with a letter or digit (never an option) and has no whitespace,
 * shell or quoting characters, `=`, `/`, newline or NUL.
 */
export function validPackageName(manager: PackageManager, name: string): boolean {
  return name.length <= MAX_PACKAGE_NAME && GRAMMAR[manager].name.test(name);
}

export function validPackageVersion(manager: PackageManager, version: string): boolean {
  return version.length <= MAX_PACKAGE_VERSION && GRAMMAR[manager].version.test(version);
}

function checkPackages(c: CommandPayload): void {
  if (c.action === 'patch' && c.packages.length === 0) refuse('bad-package', 'a patch command names no package');
  if (c.action !== 'patch' && c.packages.length > 0) refuse('bad-package', `a ${c.action} command names packages`);
  const seen = new Set<string>();
  for (const p of c.packages) {
    if (!validPackageName(c.manager, p.name)) refuse('bad-package', `${JSON.stringify(p.name)} is not a valid ${c.manager} package name`);
    if (!validPackageVersion(c.manager, p.version)) refuse('bad-package', `${JSON.stringify(p.version)} is not a valid ${c.manager} version for ${p.name}`);
    if (seen.has(p.name)) refuse('bad-package', `${p.name} is named twice`);
    seen.add(p.name);
  }
}

// ---- envelopes ----

/** The keyids an envelope claims, for a message: unverified text, so quoted and cut short when odd. */
function signers(envelope: Envelope): string {
  return envelope.signatures.map((s) => (isKeyId(s.keyid) ? s.keyid : JSON.stringify(s.keyid.slice(0, 72)))).join(', ');
}

export function signEnvelope(payloadType: string, payload: Buffer, key: KeyObject): Envelope {
  if (key.type !== 'private') throw new VigilError('INVALID_INPUT', 'signing needs a private key');
  const sig = sign(null, pae(payloadType, payload), key);
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: keyId(key), sig: sig.toString('base64') }] };
}

/**
 * The exact payload bytes of an envelope, once the signature with `keyid` verifies
 * under `publicKey` over PAE(payloadType, payload). The keyid only selects the
 * signature: the caller has already decided that this key is trusted, and the key
 * must be the one the keyid names. Throws CommandRefused.
 */
export function verifyEnvelope(envelope: Envelope, payloadType: string, keyid: string, publicKey: KeyObject): Buffer {
  if (envelope.signatures.length === 0) refuse('no-signature', `the ${payloadType} envelope has no signature`);
  if (keyId(publicKey) !== keyid) refuse('unknown-key', `key ${keyid} was given with the public key of ${keyId(publicKey)}`);
  const s = envelope.signatures.find((x) => x.keyid === keyid);
  if (!s) return refuse('unknown-key', `signed by ${signers(envelope)}, not by ${keyid}`);
  const body = decodeCanonicalBase64(envelope.payload);
  if (!body) return refuse('malformed', 'the payload is not canonical base64');
  const sig = decodeCanonicalBase64(s.sig);
  if (!sig) return refuse('malformed', 'the signature is not canonical base64');
  if (sig.length !== 64 || !verify(null, pae(envelope.payloadType, body), publicKey, sig)) refuse('bad-signature', `the signature by ${keyid} does not verify`);
  if (envelope.payloadType !== payloadType) refuse('wrong-payload-type', `payload type ${JSON.stringify(envelope.payloadType)} where ${payloadType} was expected`);
  return body;
}

// ---- delegations ----

export function signDelegation(payload: DelegationPayload, rootKey: KeyObject): Envelope {
  const body = canonicalBytes(parseDelegationPayload(payload));
  return signEnvelope(DELEGATION_TYPE, body, rootKey);
}

/**
 * A delegation signed by the given root public key, checked for signature and schema
 * but not for time, so that `vigil keys list` can show an expired one.
 */
export function openDelegation(envelope: Envelope, rootPublicKeyPem: string, rootKeyId: string): DelegationPayload {
  if (envelope.signatures.length === 0) refuse('no-signature', 'the delegation has no signature');
  let root: KeyObject | undefined;
  try {
    root = parsePublicKeyPem(rootPublicKeyPem);
  } catch {
    /* refused below */
  }
  if (!root) return refuse('malformed', 'the root public key is not an Ed25519 SPKI PEM');
  // Only a fingerprint is pinned; the key that travels must be the pinned one.
  if (keyId(root) !== rootKeyId) refuse('unknown-key', `the delegation comes with root key ${keyId(root)}, not the pinned root key ${rootKeyId}`);
  const body = verifyEnvelope(envelope, DELEGATION_TYPE, rootKeyId, root);
  return parseDelegationPayload(parseCanonical(body, 'the delegation payload'));
}

export interface CommandTrust {
  /** The root key's fingerprint, pinned at enrollment. */
  rootKeyId: string;
  /** Key ids revoked locally, on top of those the delegation revokes. */
  revoked?: ReadonlySet<string>;
  /** The highest delegation serial seen so far: an older delegation is a rollback. */
  minSerial?: number;
}

export function verifyDelegation(envelope: Envelope, rootPublicKeyPem: string, trust: CommandTrust, now: Date): DelegationPayload {
  const d = openDelegation(envelope, rootPublicKeyPem, trust.rootKeyId);
  if (trust.minSerial !== undefined && d.serial < trust.minSerial) refuse('delegation-rolled-back', `delegation serial ${d.serial} is older than ${trust.minSerial}, already seen`);
  if (now.getTime() < Date.parse(d.notBefore)) refuse('delegation-not-yet-valid', `the delegation is valid from ${d.notBefore}`);
  if (now.getTime() > Date.parse(d.expiresAt)) refuse('delegation-expired', `the delegation expired at ${d.expiresAt}`);
  return d;
}

// ---- commands ----

export interface VerifiedCommand {
  command: CommandPayload;
  delegation: DelegationPayload;
  /** The online key that signed the command. */
  keyid: string;
}

/**
 * The server's side: the command's canonical bytes signed with the online key, sent
 * with the delegation and the root public key as canonical JSON. Refuses a command
 * that any agent would refuse on its own terms (schema, package grammar, size).
 */
export function signCommand(payload: CommandPayload, onlineKey: KeyObject, signedDelegation: Envelope, rootPublicKeyPem: string): Buffer {
  const command = parseCommandPayload(payload);
  checkPackages(command);
  const envelope = signEnvelope(COMMAND_TYPE, canonicalBytes(command), onlineKey);
  const wire = canonicalBytes({ delegation: parseEnvelope(signedDelegation, 'delegation envelope'), envelope, rootPublicKeyPem });
  if (wire.length > MAX_SIGNED_COMMAND_BYTES) refuse('oversized', `the signed command is ${wire.length} bytes, more than ${MAX_SIGNED_COMMAND_BYTES}`);
  return wire;
}

/**
 * verifyCommand, also returning the delegation it was verified under (its serial and
 * revocations are what an agent remembers) and the signing key.
 */
export function openSignedCommand(bytes: Buffer, trust: CommandTrust, ctx: { hostId: string; now: Date }): VerifiedCommand {
  if (bytes.length > MAX_SIGNED_COMMAND_BYTES) refuse('oversized', `${bytes.length} bytes, more than ${MAX_SIGNED_COMMAND_BYTES}`);
  const wire = object(parseCanonical(bytes, 'the signed command'), ['delegation', 'envelope', 'rootPublicKeyPem'], 'signed command');
  const delegationEnvelope = parseEnvelope(wire.delegation, 'delegation envelope');
  const envelope = parseEnvelope(wire.envelope, 'command envelope');
  if (typeof wire.rootPublicKeyPem !== 'string') return refuse('malformed', 'rootPublicKeyPem is not a string');
  const d = verifyDelegation(delegationEnvelope, wire.rootPublicKeyPem, trust, ctx.now);

  if (envelope.signatures.length === 0) refuse('no-signature', 'the command has no signature');
  const listed = envelope.signatures.filter((s) => d.keys.some((k) => k.keyid === s.keyid));
  if (listed.length === 0) refuse('unknown-key', `the command is signed by ${signers(envelope)}, which the delegation does not list`);
  const revoked = (id: string) => d.revokedKeys.includes(id) || trust.revoked?.has(id) === true;
  const signer = listed.find((s) => !revoked(s.keyid));
  if (!signer) return refuse('key-revoked', `the command is signed by revoked key ${listed[0]!.keyid}`);
  const key = parsePublicKeyPem(d.keys.find((k) => k.keyid === signer.keyid)!.publicKeyPem);
  const c = parseCommandPayload(parseCanonical(verifyEnvelope(envelope, COMMAND_TYPE, signer.keyid, key), 'the command payload'));

  if (!d.actions.includes(c.action)) refuse('action-not-delegated', `the delegation allows ${d.actions.join(', ') || 'no action'}, not ${c.action}`);
  if (!d.managers.includes(c.manager)) refuse('manager-not-delegated', `the delegation allows ${d.managers.join(', ') || 'no manager'}, not ${c.manager}`);
  if (c.hostId !== ctx.hostId) refuse('wrong-host', `the command is for host ${c.hostId}, this is ${ctx.hostId}`);
  const now = ctx.now.getTime();
  if (now < Date.parse(c.notBefore)) refuse('not-yet-valid', `the command is valid from ${c.notBefore}`);
  if (now > Date.parse(c.expiresAt)) refuse('expired', `the command expired at ${c.expiresAt}`);
  if (Date.parse(c.expiresAt) > Date.parse(d.expiresAt)) refuse('outlives-delegation', `the command expires at ${c.expiresAt}, after its delegation (${d.expiresAt})`);
  checkPackages(c);
  return { command: c, delegation: d, keyid: signer.keyid };
}

/**
 * Verifies a signed command as an agent or the executor receives it and returns its
 * payload, or throws CommandRefused naming the first thing wrong, in this order:
 * size; shape; the delegation's root key against the pinned fingerprint, its
 * signature and validity window; the command's key (listed, not revoked) and
 * signature; action and manager delegated; host; validity window, not outliving the
 * delegation; package names and versions.
 */
export function verifyCommand(bytes: Buffer, trust: CommandTrust, ctx: { hostId: string; now: Date }): CommandPayload {
  return openSignedCommand(bytes, trust, ctx).command;
}
