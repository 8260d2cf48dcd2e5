import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import { verifyPinnedCa, writeSecretFile } from '../common/secret-files.js';

export { verifyPinnedCa } from '../common/secret-files.js';

/**
 * The agent's TLS identity. The private key is generated on the host and never
 * leaves it: enrollment sends only a CSR, and the server answers with a certificate
 * naming the agent id it assigned.
 */

export const IDENTITY_FILES = { key: 'agent.key', csr: 'agent.csr', cert: 'agent.crt', ca: 'ca.crt' } as const;

export interface AgentIdentity {
  keyPem: string;
  certPem: string;
  caPem: string;
}

function read(dir: string, name: string): string | undefined {
  try {
    return readFileSync(path.join(dir, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VigilError('IO', `cannot read ${path.join(dir, name)}`, { cause: err });
  }
}

/**
 * Make a key and a CSR in the agent state dir. A new key every time: a retried
 * enrollment must not reuse a key that may have been exposed by a half-finished one.
 */
export async function createAgentCsr(stateDir: string, hostname: string): Promise<string> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // Loaded here, not at the top: the X.509 builder is only needed to enroll, and a running agent should not carry it.
  const { EC_P256, generateP256, privateKeyPem, x509 } = await import('../common/x509.js');
  const keys = await generateP256();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    // Informational only: the server ignores the requested subject and names the agent itself.
    name: `CN=${hostname.replace(/[^A-Za-z0-9._-]/g, '_') || 'vigil-agent'}`,
    keys,
    signingAlgorithm: EC_P256,
  });
  const pem = csr.toString('pem');
  writeSecretFile(path.join(stateDir, IDENTITY_FILES.key), await privateKeyPem(keys.privateKey));
  writeSecretFile(path.join(stateDir, IDENTITY_FILES.csr), pem);
  return pem;
}

/** Store the certificate the server issued, after checking the CA against the pinned fingerprint and the certificate against our key. */
export function storeAgentCertificate(stateDir: string, certPem: string, caPem: string, pinnedFingerprint: string): void {
  verifyPinnedCa(caPem, pinnedFingerprint);
  const keyPem = read(stateDir, IDENTITY_FILES.key);
  if (!keyPem) throw new VigilError('NOT_FOUND', `no agent key in ${stateDir}; create a CSR first`);
  let cert: X509Certificate, ca: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    ca = new X509Certificate(caPem);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', 'issued certificate cannot be parsed', { cause: err });
  }
  if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new VigilError('INVALID_INPUT', 'issued certificate is not for this agent\'s key');
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new VigilError('INVALID_INPUT', 'issued certificate was not signed by the pinned CA');
  writeSecretFile(path.join(stateDir, IDENTITY_FILES.cert), certPem);
  writeSecretFile(path.join(stateDir, IDENTITY_FILES.ca), caPem);
}

export function loadAgentIdentity(stateDir: string): AgentIdentity | undefined {
  const keyPem = read(stateDir, IDENTITY_FILES.key);
  const certPem = read(stateDir, IDENTITY_FILES.cert);
  const caPem = read(stateDir, IDENTITY_FILES.ca);
  return keyPem && certPem && caPem ? { keyPem, certPem, caPem } : undefined;
}
