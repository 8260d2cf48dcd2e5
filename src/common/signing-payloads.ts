import { type KeyObject } from 'node:crypto';
import { VigilError } from './errors.js';
import { ACTIONS, MANAGERS, REBOOT_POLICIES, MAX_PACKAGES, MAX_DELEGATED_KEYS, MAX_REVOKED_KEYS, type Signature, type Envelope, type DelegatedKey, type DelegationPayload, type PackagePin, type CommandPayload, refuse } from './signing-types.js';
import { keyId, parsePublicKeyPem } from './signing-keys.js';

/** The exact bytes of signed payloads: DSSE's PAE, canonical JSON and base64, and the strict shapes of envelopes, delegations and commands (see signing.ts). */

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

export function canonicalJson(v: unknown): string {
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
export function parseCanonical(bytes: Buffer, what: string): unknown {
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

export type Obj = Record<string, unknown>;

export function object(v: unknown, keys: readonly string[], what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return refuse('malformed', `${what} is not an object`);
  const o = v as Obj;
  const extra = Object.keys(o).find((k) => !keys.includes(k));
  if (extra !== undefined) refuse('malformed', `${what} has an unknown field ${JSON.stringify(extra)}`);
  const missing = keys.find((k) => !Object.hasOwn(o, k));
  if (missing !== undefined) refuse('malformed', `${what} lacks ${missing}`);
  return o;
}

export function text(o: Obj, k: string, what: string, pattern: RegExp, kind: string): string {
  const v = o[k];
  if (typeof v !== 'string' || !pattern.test(v)) return refuse('malformed', `${what}.${k} is not ${kind}: ${JSON.stringify(v)}`);
  return v;
}

export function list(o: Obj, k: string, what: string, max: number): unknown[] {
  const v = o[k];
  if (!Array.isArray(v)) return refuse('malformed', `${what}.${k} is not a list`);
  if (v.length > max) refuse('malformed', `${what}.${k} has ${v.length} entries, more than ${max}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[]): v is T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v);
}

export function enumList<T extends string>(o: Obj, k: string, what: string, allowed: readonly T[]): T[] {
  const v = list(o, k, what, allowed.length);
  for (const x of v) if (!oneOf(x, allowed)) refuse('malformed', `${what}.${k} has ${JSON.stringify(x)}, not one of ${allowed.join(', ')}`);
  if (new Set(v).size !== v.length) refuse('malformed', `${what}.${k} repeats an entry`);
  return v as T[];
}

export const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const KEYID = /^[0-9a-f]{64}$/;
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as Date#toISOString writes it, and a real one (no February 30th). */
export function instant(o: Obj, k: string, what: string): string {
  const v = o[k];
  if (typeof v !== 'string' || !ISO_TIME.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString() !== v)
    return refuse('malformed', `${what}.${k} is not an ISO 8601 UTC time like 2025-01-31T12:00:00.000Z: ${JSON.stringify(v)}`);
  return v;
}

export function version1(o: Obj, what: string): 1 {
  if (o.version !== 1) refuse('malformed', `${what} version ${JSON.stringify(o.version)} is not 1`);
  return 1;
}

export const DELEGATION_FIELDS = ['version', 'keys', 'actions', 'managers', 'notBefore', 'expiresAt', 'issuedAt', 'serial', 'revokedKeys'] as const;

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

export const COMMAND_FIELDS = ['version', 'commandId', 'hostId', 'jobId', 'issuedAt', 'notBefore', 'expiresAt', 'action', 'manager', 'packages', 'options'] as const;

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
