import { createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { VigilError } from './errors.js';
import { canonicalBytes, decodeCanonicalBase64 } from './signing.js';

/**
 * A host's report of a command, signed with the agent's own key (the one its
 * client certificate certifies), so the server can prove which host reported what.
 * Wire form: canonical JSON `{ payload: base64(canonical JSON), sig: base64 }`.
 */
export const MAX_REPORT_BYTES = 512 * 1024;

function algorithm(key: KeyObject): string | null {
  return key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
}

export function signReport(payload: unknown, privateKeyPem: string): Buffer {
  const key = createPrivateKey(privateKeyPem);
  const body = canonicalBytes(payload);
  const sig = sign(algorithm(key), body, key);
  return canonicalBytes({ payload: body.toString('base64'), sig: sig.toString('base64') });
}

/** The report's payload, after checking the signature with the host's public key. */
export function openReport(bytes: Uint8Array, publicKey: KeyObject): unknown {
  if (bytes.length > MAX_REPORT_BYTES) throw new VigilError('INVALID_INPUT', `command report of ${bytes.length} bytes exceeds ${MAX_REPORT_BYTES}`);
  let outer: { payload?: unknown; sig?: unknown };
  try {
    outer = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof outer;
  } catch {
    throw new VigilError('INVALID_INPUT', 'command report is not JSON');
  }
  const body = typeof outer.payload === 'string' ? decodeCanonicalBase64(outer.payload) : undefined;
  const sig = typeof outer.sig === 'string' ? decodeCanonicalBase64(outer.sig) : undefined;
  if (!body || !sig) throw new VigilError('INVALID_INPUT', 'command report lacks a payload or a signature');
  if (!verify(algorithm(publicKey), body, publicKey, sig)) throw new VigilError('INVALID_INPUT', "command report signature does not verify with the host's certificate");
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new VigilError('INVALID_INPUT', 'command report payload is not JSON');
  }
}
