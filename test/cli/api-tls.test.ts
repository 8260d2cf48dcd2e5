import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { startProc, waitFor, type Proc } from '../helpers/fleet.js';

/**
 * The API over HTTPS with an operator's certificate (`vigil server run --api-cert
 * --api-key`, signed by a CA made here with openssl) and with the server's own (the
 * fleet CA's): the CLI trusts the CA VIGIL_API_CA names, or the fleet CA of a server it
 * finds on this host, and refuses an untrusted certificate in one line saying what to do.
 */

let tmp: { dir: string; cleanup: () => void };
const servers: Proc[] = [];
const file = (name: string): string => path.join(tmp.dir, name);

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

async function serve(dir: string, extra: string[]): Promise<{ port: number; token: string }> {
  const p = startProc(['server', 'run', '--data-dir', dir, '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0', ...extra]);
  servers.push(p);
  const m = await waitFor('server to listen', () => {
    if (p.child.exitCode !== null) throw new Error(`server exited: ${p.stderr().slice(-2000)}`);
    return /listening on grpc 127\.0\.0\.1:\d+ api 127\.0\.0\.1:(\d+)\n/.exec(p.stderr()) ?? undefined;
  }, 180_000);
  return { port: Number(m[1]), token: readFileSync(path.join(dir, 'api.token'), 'utf8').trim() };
}

beforeAll(() => {
  tmp = tempDir('vigil-api-tls-');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=Operator Test CA']);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('api.key'), '-out', file('api.csr'), '-subj', '/CN=vigil-api.test']);
  writeFileSync(file('ext.cnf'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n');
  openssl(['x509', '-req', '-in', file('api.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('api.pem'), '-days', '2', '-extfile', file('ext.cnf')]);
});

afterAll(async () => {
  for (const p of servers) await p.kill();
  tmp?.cleanup();
});

describe('API over HTTPS', () => {
  it("serves the operator's certificate: trusted through VIGIL_API_CA, refused in one line without it", async () => {
    const dir = file('operator');
    const { port, token } = await serve(dir, ['--api-cert', file('api.pem'), '--api-key', file('api.key')]);
    writeFileSync(file('token'), token + '\n');
    const args = ['hosts', 'list', '--api', `https://127.0.0.1:${port}`, '--token-file', file('token'), '--json'];
    const ok = await vigil(args, { env: { VIGIL_API_CA: file('ca.pem') } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([]);
    const untrusted = await vigil(args, { env: { VIGIL_API_CA: '' } });
    expect(untrusted.code).toBe(7);
    expect(untrusted.stderr).toMatch(new RegExp(`^vigil: cannot reach the Vigil API at https://127\\.0\\.0\\.1:${port}: its certificate is not trusted \\([A-Z_]+\\); set VIGIL_API_CA to the PEM file of the CA that signed it\\n$`));
    // The fleet CA did not sign it: trusting that instead is no help.
    const wrongCa = await vigil(args, { env: { VIGIL_API_CA: path.join(dir, 'pki/ca.crt') } });
    expect(wrongCa.code).toBe(7);
    const missingCa = await vigil(args, { env: { VIGIL_API_CA: file('none.pem') } });
    expect([missingCa.code, missingCa.stderr]).toEqual([4, `vigil: cannot read the API's CA file ${file('none.pem')} (ENOENT); VIGIL_API_CA names a PEM file\n`]);
    // Plain HTTP to it gets no answer the CLI could take for the API's.
    expect((await vigil(['hosts', 'list', '--api', `http://127.0.0.1:${port}`, '--token-file', file('token')])).code).toBe(7);
  });

  it("trusts the fleet CA of a server it finds on this host, which serves the server's own certificate", async () => {
    const dir = file('own');
    // The server's certificate names localhost and 127.0.0.1; given as the operator's, it is served on loopback too.
    const pki = path.join(dir, 'pki');
    const init = await vigil(['server', 'init', '--dir', pki]);
    expect(init.code, init.stderr).toBe(0);
    const { port } = await serve(dir, ['--api-cert', path.join(pki, 'server.crt'), '--api-key', path.join(pki, 'server.key')]);
    const found = await vigil(['hosts', 'list', '--json'], { env: { VIGIL_DATA_DIR: dir, VIGIL_API_CA: '', VIGIL_API_URL: '', VIGIL_API_TOKEN: '' } });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(dir, 'server.json'), 'utf8')).api).toBe(`https://127.0.0.1:${port}`);
  });

  it('refuses --api-cert without --api-key', async () => {
    const r = await vigil(['server', 'run', '--data-dir', file('half'), '--api-cert', file('api.pem')]);
    expect([r.code, r.stderr]).toEqual([2, 'vigil: --api-cert and --api-key go together: the certificate and its private key (PEM)\n']);
  });
});
