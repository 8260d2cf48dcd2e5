import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_FILES, createAgentCsr, loadAgentIdentity, storeAgentCertificate, verifyPinnedCa } from '../../src/agent/identity.js';
import { EC_P256, generateP256, privateKeyPem, x509 } from '../../src/common/x509.js';
import { PKI_FILES, agentIdFromCert, caFingerprint, initServerPki, loadServerPki, signAgentCsr, type ServerPki } from '../../src/server/pki.js';
import { redeemToken, createToken } from '../../src/server/tokens.js';
import { tempDir } from '../helpers/fixtures.js';

let tmp: { dir: string; cleanup: () => void };
let pki: ServerPki;
let fingerprint: string;
let server: tls.Server;
let port: number;
/** What the server learned about each accepted connection, in order. */
const accepted: string[] = [];
/** Why the server aborted each failed handshake. */
const handshakeErrors: string[] = [];

const mode = (f: string): number => statSync(f).mode & 0o777;

async function selfSigned(): Promise<{ key: string; cert: string }> {
  const keys = await generateP256();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=intruder',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: EC_P256,
    keys,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { key: await privateKeyPem(keys.privateKey), cert: cert.toString('pem') };
}

/** Connect with the given client credentials; resolves with what the server said, rejects if the handshake fails. */
function connect(creds: { key?: string; cert?: string; ca?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: creds.ca ?? pki.caCertPem, key: creds.key, cert: creds.cert, minVersion: 'TLSv1.3' });
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (data += d));
    sock.on('end', () => (data ? resolve(data) : reject(new Error('closed without a reply'))));
    sock.on('error', reject);
  });
}

/**
 * Connect, expect no application reply, and return the server's reason for aborting.
 * Node checks a presented client chain once the handshake completes and destroys the
 * socket before 'secureConnection', so that case reads as a hang-up, not an alert.
 */
async function refused(creds: { key?: string; cert?: string }): Promise<string> {
  const before = handshakeErrors.length;
  const acceptedBefore = accepted.length;
  await expect(connect(creds)).rejects.toThrow(/closed without a reply|ECONNRESET|alert/);
  for (let i = 0; i < 100 && handshakeErrors.length === before; i++) await new Promise((r) => setTimeout(r, 10));
  expect(accepted.length).toBe(acceptedBefore);
  return handshakeErrors.slice(before).join('; ');
}

beforeAll(async () => {
  tmp = tempDir('vigil-pki-');
  const init = await initServerPki(path.join(tmp.dir, 'pki'), { hostnames: ['vigil.example.org'] });
  fingerprint = init.fingerprint;
  pki = await loadServerPki(path.join(tmp.dir, 'pki'));
  server = tls.createServer(
    { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
    (sock) => {
      try {
        const id = agentIdFromCert(sock.getPeerX509Certificate(), pki.caCertPem);
        accepted.push(id);
        sock.end(`hello ${id}`);
      } catch (err) {
        sock.end(`refused: ${(err as Error).message}`);
      }
    },
  );
  server.on('tlsClientError', (err) => handshakeErrors.push(err.message));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  tmp?.cleanup();
});

describe('server PKI', () => {
  it('writes a P-256 CA and server certificate with private files mode 0600', () => {
    const dir = path.join(tmp.dir, 'pki');
    for (const f of Object.values(PKI_FILES)) expect(mode(path.join(dir, f))).toBe(0o600);
    const ca = new X509Certificate(pki.caCertPem);
    const srv = new X509Certificate(pki.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(srv.checkIssued(ca) && srv.verify(ca.publicKey)).toBe(true);
    expect(srv.subjectAltName).toBe('DNS:vigil.example.org, DNS:localhost, IP Address:127.0.0.1');
    const years = (d: string) => (Date.parse(d) - Date.now()) / (365.25 * 86_400_000);
    expect(years(ca.validTo)).toBeGreaterThan(9.9);
    expect(years(srv.validTo)).toBeGreaterThan(0.99);
    expect(years(srv.validTo)).toBeLessThan(1.01);
  });

  it('fingerprints the CA as the SHA-256 of its DER in hex', () => {
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).toBe(new X509Certificate(pki.caCertPem).fingerprint256.replace(/:/g, '').toLowerCase());
    expect(caFingerprint(pki.caCertPem)).toBe(fingerprint);
  });

  it('refuses to overwrite an existing CA', async () => {
    const before = readFileSync(path.join(tmp.dir, 'pki', PKI_FILES.caKey), 'utf8');
    await expect(initServerPki(path.join(tmp.dir, 'pki'))).rejects.toThrow(/already exists .*refusing to overwrite/);
    expect(readFileSync(path.join(tmp.dir, 'pki', PKI_FILES.caKey), 'utf8')).toBe(before);
  });
});

describe('enrollment over mutual TLS', () => {
  let agent: { key: string; cert: string };

  beforeAll(async () => {
    const state = path.join(tmp.dir, 'agent');
    const { token } = createToken(pki.dir, { ttlSeconds: 600, uses: 1 });
    const csr = await createAgentCsr(state, 'web-01');
    redeemToken(pki.dir, token);
    const cert = await signAgentCsr(pki, csr, 'agent-7f3a');
    storeAgentCertificate(state, cert, pki.caCertPem, fingerprint);
    const id = loadAgentIdentity(state)!;
    agent = { key: id.keyPem, cert: id.certPem };
  });

  it('stores the agent key and certificate mode 0600', () => {
    for (const f of Object.values(IDENTITY_FILES)) expect(mode(path.join(tmp.dir, 'agent', f))).toBe(0o600);
  });

  it('issues a one-year client certificate naming the agent id', () => {
    const c = new X509Certificate(agent.cert);
    expect(c.subject).toBe('CN=agent-7f3a');
    expect(c.subjectAltName).toBe('URI:urn:vigil:agent:agent-7f3a');
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(c.ca).toBe(false);
    expect((Date.parse(c.validTo) - Date.now()) / 86_400_000).toBeCloseTo(365, 0);
  });

  it('accepts the agent certificate and takes the agent id from it', async () => {
    expect(await connect(agent)).toBe('hello agent-7f3a');
    expect(accepted).toContain('agent-7f3a');
  });

  it('refuses a client without a certificate', async () => {
    expect(await refused({})).toMatch(/peer did not return a certificate|certificate required/);
  });

  it('refuses a self-signed client certificate', async () => {
    expect(await refused(await selfSigned())).toMatch(/socket hang up|certificate verify failed|unable to get local issuer/i);
  });

  it('refuses a certificate issued by another Vigil CA', async () => {
    const other = await initServerPki(path.join(tmp.dir, 'other-pki'));
    const otherPki = await loadServerPki(other.dir);
    const keys = await generateP256();
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: EC_P256 });
    const cert = await signAgentCsr(otherPki, csr.toString('pem'), 'agent-7f3a');
    expect(await refused({ key: await privateKeyPem(keys.privateKey), cert })).toMatch(/socket hang up|certificate verify failed|unable to get local issuer/i);
    expect(() => agentIdFromCert(new X509Certificate(cert), pki.caCertPem)).toThrow(/not issued by this server's CA/);
  });

  it('does not accept the server certificate as an agent identity', () => {
    expect(() => agentIdFromCert(new X509Certificate(pki.serverCertPem), pki.caCertPem)).toThrow(/not a client certificate/);
  });

  it('pins the CA by fingerprint and refuses a different CA', async () => {
    expect(() => verifyPinnedCa(pki.caCertPem, fingerprint)).not.toThrow();
    expect(() => verifyPinnedCa(pki.caCertPem, `sha256:${fingerprint.toUpperCase()}`)).not.toThrow();
    const other = readFileSync(path.join(tmp.dir, 'other-pki', PKI_FILES.caCert), 'utf8');
    expect(() => verifyPinnedCa(other, fingerprint)).toThrow(/does not match the pinned/);
    const { cert } = await selfSigned();
    expect(() => storeAgentCertificate(path.join(tmp.dir, 'agent'), cert, other, fingerprint)).toThrow(/does not match the pinned/);
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const keys = await generateP256();
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: EC_P256 });
    const der = Buffer.from(csr.rawData);
    der[der.length - 5] = der[der.length - 5]! ^ 0xff;
    await expect(signAgentCsr(pki, x509.PemConverter.encode(der, 'CERTIFICATE REQUEST'), 'agent-1')).rejects.toThrow(/signature is invalid|cannot be parsed/);
  });

  it('refuses a CSR for a key type other than P-256', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
    const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as Awaited<ReturnType<typeof generateP256>>;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: alg });
    await expect(signAgentCsr(pki, csr.toString('pem'), 'agent-1')).rejects.toThrow(/must be ECDSA P-256 \(got ec secp384r1\)/);
  });

  it('refuses an agent id that could not be a CN or URI', async () => {
    const csr = await createAgentCsr(path.join(tmp.dir, 'agent2'), 'h');
    await expect(signAgentCsr(pki, csr, 'a,CN=admin')).rejects.toThrow(/invalid agent id/);
  });
});
