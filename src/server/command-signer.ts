import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { describeError } from '../common/errors.js';
import {
  SIGNING_FILES,
  keyId,
  openDelegation,
  parseEnvelope,
  parsePublicKeyPem,
  readPrivateKeyFile,
  signCommand,
  type DelegationPayload,
  type Envelope,
} from '../common/signing.js';

/** What `vigil patch create` asks for: which findings to fix, and how to roll out. */

/** The server's signing key for commands, read from the key directory (see patch-service.ts). */

/** The server's online signing key with its delegation, read from the key directory `vigil keys rotate` writes. */
export interface CommandSigner {
  /**
   * Why hosts would refuse a command for `managers` signed now (the online key is
   * revoked or not delegated, the delegation expired, does not verify or does not
   * delegate patching), as one line ending in what to run; undefined when none.
   */
  problem(now: Date, managers?: readonly string[]): string | undefined;
  sign(payload: Parameters<typeof signCommand>[0]): Buffer;
}

export function loadSigner(dir: string): CommandSigner | undefined {
  const files = [SIGNING_FILES.onlineKey, SIGNING_FILES.delegation, SIGNING_FILES.rootPub].map((f) => path.join(dir, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  const key: KeyObject = readPrivateKeyFile(files[0]!);
  const onlineId = keyId(key);
  const rotate = `run "vigil keys rotate --root-key ROOT.key --dir ${dir}" where the root key is kept`;
  let delegation: Envelope | undefined;
  let d: DelegationPayload | undefined;
  let unreadable: string | undefined;
  const rootPem = readFileSync(files[2]!, 'utf8');
  try {
    delegation = parseEnvelope(JSON.parse(readFileSync(files[1]!, 'utf8')) as unknown, 'delegation');
    d = openDelegation(delegation, rootPem, keyId(parsePublicKeyPem(rootPem)));
  } catch (err) {
    unreadable = `${files[1]} does not verify against ${files[2]}: ${describeError(err)}`;
  }
  return {
    problem(now, managers = []) {
      if (!d) return `${unreadable}; ${rotate}`;
      if (d.revokedKeys.includes(onlineId)) return `the server's online signing key ${onlineId} is revoked (delegation serial ${d.serial}); ${rotate}`;
      if (!d.keys.some((k) => k.keyid === onlineId)) return `the server's online signing key ${onlineId} is not in its delegation (serial ${d.serial}); ${rotate}`;
      if (now.getTime() > Date.parse(d.expiresAt)) return `the delegation of the server's online signing key ${onlineId} expired at ${d.expiresAt}; ${rotate}`;
      if (now.getTime() < Date.parse(d.notBefore)) return `the delegation of the server's online signing key ${onlineId} is valid only from ${d.notBefore}`;
      if (!d.actions.includes('patch')) return `the delegation of the server's online signing key does not allow patch (only ${d.actions.join(', ') || 'nothing'}); ${rotate} --actions patch,...`;
      const missing = [...new Set(managers)].filter((m) => !(d.managers as readonly string[]).includes(m));
      if (missing.length) return `the delegation of the server's online signing key does not allow ${missing.join(', ')} (only ${d.managers.join(', ') || 'none'}); ${rotate} --managers ...`;
      return undefined;
    },
    sign: (payload) => signCommand(payload, key, delegation!, rootPem),
  };
}

/**
 * The signer of a key directory, read again whenever one of its files changes, so
 * that `vigil keys rotate` or `vigil keys revoke` takes effect on the next request
 * without a restart.
 */
export function signerFromDir(dir: string): () => CommandSigner | undefined {
  let seen = '';
  let value: CommandSigner | undefined;
  return () => {
    const stamp = [SIGNING_FILES.onlineKey, SIGNING_FILES.delegation, SIGNING_FILES.rootPub]
      .map((f) => {
        try {
          const st = statSync(path.join(dir, f));
          return `${st.ino}:${st.size}:${st.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('/');
    if (stamp !== seen) {
      value = loadSigner(dir);
      seen = stamp;
    }
    return value;
  };
}
