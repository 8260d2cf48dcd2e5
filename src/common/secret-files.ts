import { createHash, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { writeFileAtomicSync } from './atomic-write.js';
import { VigilError } from './errors.js';

/**
 * Certificate pinning and secret files with node:crypto alone: what the agent daemon
 * needs at run time, without loading the X.509 builder (`./x509.ts`) used only to
 * create keys, CSRs and certificates.
 */

/** A positive 128-bit serial: unpredictable, so certificates cannot be forged by collision. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

/** SHA-256 of the certificate's DER, lowercase hex: what an agent pins at install. */
export function caFingerprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

function normalizeFingerprint(fp: string): string {
  return fp.trim().toLowerCase().replace(/^sha256:/, '').replace(/:/g, '');
}

/** Throws unless the CA certificate is exactly the one whose fingerprint the agent was given. */
export function verifyPinnedCa(caPem: string, fingerprint: string): void {
  const want = normalizeFingerprint(fingerprint);
  if (!/^[0-9a-f]{64}$/.test(want)) throw new VigilError('INVALID_INPUT', 'CA fingerprint must be 64 hex digits (SHA-256)');
  let got: string;
  try {
    got = caFingerprint(caPem);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', 'server CA certificate cannot be parsed', { cause: err });
  }
  if (!timingSafeEqual(Buffer.from(got, 'hex'), Buffer.from(want, 'hex')))
    throw new VigilError('INVALID_INPUT', `server CA fingerprint ${got} does not match the pinned ${want}`);
}

/** Atomic 0600 write that replaces a previous regular file; a symlink or anything else at the path is refused. */
export function writeSecretFile(file: string, data: string | Buffer): void {
  writeFileAtomicSync(file, data, { mode: 0o600, regularOnly: true });
}

/** Atomic 0600 write of a new file: an existing path is a CONFLICT, never replaced; a crash leaves nothing or the whole file. */
export function createSecretFile(file: string, data: string | Buffer): void {
  writeFileAtomicSync(file, data, { mode: 0o600, exclusive: true });
}
