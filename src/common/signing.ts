import { sign, verify, type KeyObject } from 'node:crypto';
import { VigilError } from './errors.js';
import { DELEGATION_TYPE, COMMAND_TYPE, MAX_SIGNED_COMMAND_BYTES, type PackageManager, MAX_PACKAGE_NAME, MAX_PACKAGE_VERSION, type Envelope, type DelegationPayload, type CommandPayload, refuse } from './signing-types.js';
import { keyId, isKeyId, parsePublicKeyPem } from './signing-keys.js';
import { pae, decodeCanonicalBase64, canonicalBytes, parseCanonical, object, parseDelegationPayload, parseCommandPayload, parseEnvelope } from './signing-payloads.js';

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
 * these modules (signing*.ts: types, keys, payloads and this one) and nothing else.
 */

export { DELEGATION_TYPE, COMMAND_TYPE, MAX_SIGNED_COMMAND_BYTES, ACTIONS, type Action, MANAGERS, type PackageManager, REBOOT_POLICIES, type RebootPolicy, MAX_PACKAGE_NAME, MAX_PACKAGE_VERSION, MAX_PACKAGES, MAX_DELEGATED_KEYS, MAX_REVOKED_KEYS, SIGNING_FILES, type Signature, type Envelope, type DelegatedKey, type DelegationPayload, type PackagePin, type CommandPayload, REFUSAL_REASONS, type RefusalReason, CommandRefused } from './signing-types.js';
export { type SigningKeyPair, generateSigningKeyPair, keyId, isKeyId, publicKeyPem, privateKeyPem, parsePublicKeyPem, parsePrivateKeyPem, readPrivateKeyFile, readPublicKeyFile, writeKeyPair } from './signing-keys.js';
export { pae, decodeCanonicalBase64, canonicalBytes, parseDelegationPayload, parseCommandPayload, parseEnvelope } from './signing-payloads.js';

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
