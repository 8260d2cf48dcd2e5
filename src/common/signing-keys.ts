import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from './errors.js';
import { createSecretFile } from './secret-files.js';

/** Ed25519 signing keys: generation, key ids, PEM files (see signing.ts). */

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

export function publicOf(key: KeyObject): KeyObject {
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

export function readKeyFile<T>(file: string, parse: (pem: string) => T): T {
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
