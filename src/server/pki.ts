import { X509Certificate as NodeX509Certificate, createPublicKey, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import { caFingerprint, createSecretFile, randomSerial } from '../common/secret-files.js';
import { EC_P256, type CryptoKey, generateP256, importP256PrivateKey, privateKeyPem, x509 } from '../common/x509.js';

export { caFingerprint, verifyPinnedCa } from '../common/secret-files.js';

/**
 * The server's private CA: it issues the server's TLS certificate and one client
 * certificate per enrolled agent. The agent id lives in the certificate, so the
 * server learns who is speaking from the TLS handshake, never from a message.
 */

export const PKI_FILES = { caKey: 'ca.key', caCert: 'ca.crt', serverKey: 'server.key', serverCert: 'server.crt' } as const;

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Backdated so a peer whose clock is a little behind still accepts a fresh certificate. */
const SKEW_MS = 5 * 60_000;
export const AGENT_URI_PREFIX = 'urn:vigil:agent:';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** Safe in a CN, a URI and a file name; ids are assigned by the server, not chosen by hosts. */
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9*]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

export interface ServerPki {
  dir: string;
  caCertPem: string;
  caKey: CryptoKey;
  serverCertPem: string;
  serverKeyPem: string;
  fingerprint: string;
}

export interface PkiInitResult {
  dir: string;
  fingerprint: string;
  caCert: string;
  serverCert: string;
  hostnames: string[];
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - SKEW_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

/** Create the CA and the server certificate in `dir`. Never replaces an existing CA: that would orphan every enrolled agent. */
export async function initServerPki(dir: string, opts: { hostnames?: string[]; now?: Date } = {}): Promise<PkiInitResult> {
  const now = opts.now ?? new Date();
  const names = [...new Set([...(opts.hostnames ?? []), 'localhost', '127.0.0.1'])];
  for (const n of names) if (!isIP(n) && !HOSTNAME.test(n)) throw new VigilError('USAGE', `invalid hostname ${JSON.stringify(n)}`);
  const existing = Object.values(PKI_FILES).find((f) => existsSync(path.join(dir, f)));
  if (existing) throw new VigilError('CONFLICT', `a server PKI already exists in ${dir} (${existing}); refusing to overwrite it`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const caKeys = await generateP256();
  const caName = `CN=Vigil CA ${randomSerial().slice(0, 8)}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: caName,
    ...validity(now, CA_DAYS),
    signingAlgorithm: EC_P256,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = await generateP256();
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${names[0]}`,
    issuer: ca.subject,
    ...validity(now, LEAF_DAYS),
    signingAlgorithm: EC_P256,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? 'ip' : 'dns', value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });

  const caCert = ca.toString('pem');
  const serverCert = server.toString('pem');
  // The CA key goes last: its presence is what marks the directory as initialised.
  const files: Array<[string, string]> = [
    [PKI_FILES.serverKey, await privateKeyPem(serverKeys.privateKey)],
    [PKI_FILES.serverCert, serverCert],
    [PKI_FILES.caCert, caCert],
    [PKI_FILES.caKey, await privateKeyPem(caKeys.privateKey)],
  ];
  try {
    for (const [name, data] of files) createSecretFile(path.join(dir, name), data);
  } catch (err) {
    if (err instanceof VigilError && err.code === 'CONFLICT')
      throw new VigilError('CONFLICT', `a server PKI already exists in ${dir}; refusing to overwrite it`, { cause: err });
    throw new VigilError('IO', `cannot write the server PKI in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return { dir, fingerprint: caFingerprint(caCert), caCert, serverCert, hostnames: names };
}

export async function loadServerPki(dir: string): Promise<ServerPki> {
  const read = (f: string): string => {
    try {
      return readFileSync(path.join(dir, f), 'utf8');
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new VigilError(missing ? 'NOT_FOUND' : 'IO', missing ? `no server PKI in ${dir}; run "vigil server init" first` : `cannot read ${path.join(dir, f)}`, { cause: err });
    }
  };
  const caCertPem = read(PKI_FILES.caCert);
  return {
    dir,
    caCertPem,
    caKey: await importP256PrivateKey(read(PKI_FILES.caKey)),
    serverCertPem: read(PKI_FILES.serverCert),
    serverKeyPem: read(PKI_FILES.serverKey),
    fingerprint: caFingerprint(caCertPem),
  };
}

export function assertAgentId(agentId: string): void {
  if (!AGENT_ID.test(agentId)) throw new VigilError('INVALID_INPUT', `invalid agent id ${JSON.stringify(agentId)}`);
}

/** Checks an agent's CSR (parses, ECDSA P-256, proof of possession); returns its public key (SPKI DER). */
export async function verifyAgentCsr(csrPem: string): Promise<Buffer> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', 'certificate request cannot be parsed', { cause: err });
  }
  const spki = Buffer.from(csr.publicKey.rawData);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new VigilError('INVALID_INPUT', `certificate request key must be ECDSA P-256 (got ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ' ' + key.asymmetricKeyDetails.namedCurve : ''})`);
  // Proof of possession: without it anyone could get a certificate for someone else's public key.
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new VigilError('INVALID_INPUT', 'certificate request signature is invalid');
  return spki;
}

/**
 * Issue an agent's client certificate. Only the CSR's key is used: the subject and
 * any extensions it asks for are ignored, the identity is the id the server chose.
 */
export async function signAgentCsr(pki: ServerPki, csrPem: string, agentId: string, now = new Date()): Promise<string> {
  assertAgentId(agentId);
  const spki = await verifyAgentCsr(csrPem);
  const ca = new x509.X509Certificate(pki.caCertPem);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, EC_P256, true, ['verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${agentId}`,
    issuer: ca.subject,
    ...validity(now, LEAF_DAYS),
    signingAlgorithm: EC_P256,
    publicKey,
    signingKey: pki.caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `${AGENT_URI_PREFIX}${agentId}` }]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  return cert.toString('pem');
}

/**
 * The agent id of a TLS peer. TLS already verified the chain when the server runs with
 * `requestCert` and `rejectUnauthorized`; this checks again so that a misconfigured
 * listener cannot turn an arbitrary certificate into an identity.
 */
export function agentIdFromCert(peer: NodeX509Certificate | undefined, caCertPem: string, now = new Date()): string {
  if (!peer) throw new VigilError('INVALID_INPUT', "peer presented no client certificate issued by this server's CA");
  const ca = new NodeX509Certificate(caCertPem);
  if (!peer.checkIssued(ca) || !peer.verify(ca.publicKey)) throw new VigilError('INVALID_INPUT', 'client certificate was not issued by this server\'s CA');
  if (now < new Date(peer.validFrom) || now > new Date(peer.validTo)) throw new VigilError('INVALID_INPUT', 'client certificate is outside its validity period');
  if (!(peer.keyUsage ?? []).includes(CLIENT_AUTH)) throw new VigilError('INVALID_INPUT', 'certificate is not a client certificate');
  const uris = (peer.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('URI:'));
  const ids = uris.map((u) => u.slice('URI:'.length)).filter((u) => u.startsWith(AGENT_URI_PREFIX)).map((u) => u.slice(AGENT_URI_PREFIX.length));
  if (ids.length !== 1 || !AGENT_ID.test(ids[0]!)) throw new VigilError('INVALID_INPUT', 'client certificate carries no agent identity');
  if (peer.subject !== `CN=${ids[0]}`) throw new VigilError('INVALID_INPUT', 'client certificate subject does not match its agent identity');
  return ids[0]!;
}
