import { VigilError } from './errors.js';

/** What signed commands and delegations are made of: their payload types, limits, fields and refusals (see signing.ts). */

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

export const refuse = (reason: RefusalReason, detail: string): never => {
  throw new CommandRefused(reason, detail);
};
