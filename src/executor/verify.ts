import {
  CommandRefused,
  decodeCanonicalBase64,
  openSignedCommand,
  validPackageName,
  validPackageVersion,
  type Action,
  type RefusalReason,
  type VerifiedCommand,
} from '../common/signing.js';
import type { ExecutorConfig } from './config.js';
import type { Ledger } from './ledger.js';

/**
 * The reasons the executor refuses on top of signing.ts's: a command id it has
 * already accepted, a manager this host does not use, a request that did not
 * arrive whole in time, a request still queued when the executor stops, and a
 * failure to record the command before running it.
 */
export type ExecutorRefusalReason = RefusalReason | 'replayed' | 'wrong-manager' | 'read-timeout' | 'stopping' | 'internal-error';

export class Refusal extends Error {
  constructor(
    readonly reason: ExecutorRefusalReason,
    readonly detail: string,
    /** Set once the payload is verified, so the result can name the command. */
    readonly command?: VerifiedCommand['command'],
  ) {
    super(`refused (${reason}): ${detail}`);
    this.name = 'Refusal';
  }
}

/** What this executor carries out. Anything else, even if delegated and signed, is refused. */
export const EXECUTED_ACTIONS: readonly Action[] = ['patch', 'rescan', 'rotate-keys'];

/** The signed command of a request body `{ "signedCommand": base64 }`, as exact bytes. Throws Refusal. */
export function requestBytes(body: Buffer): Buffer {
  let req: unknown;
  try {
    req = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Refusal('malformed', 'the request is not JSON');
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) throw new Refusal('malformed', 'the request is not a JSON object');
  const keys = Object.keys(req);
  if (keys.length !== 1 || keys[0] !== 'signedCommand') throw new Refusal('malformed', 'the request must have exactly one field, signedCommand');
  const b64 = (req as { signedCommand: unknown }).signedCommand;
  if (typeof b64 !== 'string') throw new Refusal('malformed', 'signedCommand is not a string');
  const bytes = decodeCanonicalBase64(b64);
  if (!bytes) throw new Refusal('malformed', 'signedCommand is not canonical base64');
  return bytes;
}

/**
 * Everything the executor checks before running anything: the whole of
 * openSignedCommand (root key, delegation, signature, host, validity, grammar)
 * against this host's own trust, then its own rules: an action it carries out,
 * this host's manager, the package grammar once more, a command id never seen.
 * Throws Refusal.
 */
export function verifyRequest(body: Buffer, config: ExecutorConfig, ledger: Ledger, now: Date): VerifiedCommand {
  const bytes = requestBytes(body);
  let v: VerifiedCommand;
  try {
    const trust = { rootKeyId: config.rootKeyId, revoked: new Set(config.revokedKeys), minSerial: ledger.minSerial };
    v = openSignedCommand(bytes, trust, { hostId: config.hostId, now });
  } catch (err) {
    if (err instanceof CommandRefused) throw new Refusal(err.reason, err.detail);
    throw new Refusal('malformed', `the signed command could not be read: ${(err as Error).message}`);
  }
  const c = v.command;
  if (!EXECUTED_ACTIONS.includes(c.action)) throw new Refusal('unknown-action', `this executor carries out ${EXECUTED_ACTIONS.join(', ')}, not ${c.action}`, c);
  if (c.manager !== config.manager) throw new Refusal('wrong-manager', `this host uses ${config.manager}, not ${c.manager}`, c);
  // Already checked by openSignedCommand; checked again because these strings become argv.
  for (const p of c.packages) {
    if (!validPackageName(c.manager, p.name) || !validPackageVersion(c.manager, p.version))
      throw new Refusal('bad-package', `${JSON.stringify(p.name)} ${JSON.stringify(p.version)} is not a valid ${c.manager} package and version`, c);
  }
  if (ledger.has(c.commandId)) throw new Refusal('replayed', `command ${c.commandId} was already accepted once`, c);
  return v;
}
