import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentIdFromCert, initServerPki } from '../../src/server/pki.js';
import { createToken } from '../../src/server/tokens.js';
import { vigil } from '../helpers/cli.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => (tmp = tempDir('vigil-cli-agent-')));
afterAll(() => tmp.cleanup());

describe('vigil agent enroll against vigil server enroll-listen', () => {
  it('enrolls over real gRPC and the server exits 0 on SIGTERM', async () => {
    const pkiDir = path.join(tmp.dir, 'pki');
    const { caCert, fingerprint } = await initServerPki(pkiDir);
    const { token } = createToken(pkiDir, { ttlSeconds: 600 });

    const child = spawn(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'server', 'enroll-listen', '--dir', pkiDir, '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let stderr = '';
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /listening on (\S+)\n/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('exit', () => reject(new Error(`server exited early: ${stderr}`)));
      });
      expect(address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);

      const stateDir = path.join(tmp.dir, 'agent');
      const r = await vigil(['agent', 'enroll', '--server', address, '--token', token, '--ca-fingerprint', `sha256:${fingerprint}`, '--ca', path.join(pkiDir, 'ca.crt'), '--state-dir', stateDir, '--json']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { agentId: string; stateDir: string };
      expect(out.stateDir).toBe(stateDir);
      const cert = new X509Certificate(readFileSync(path.join(stateDir, 'agent.crt')));
      expect(agentIdFromCert(cert, caCert)).toBe(out.agentId);
      expect(readFileSync(path.join(stateDir, 'server'), 'utf8').trim()).toBe(address);

      // A second host enrolled with the root signing key pinned for its executor.
      const { token: t2 } = createToken(pkiDir, { ttlSeconds: 600 });
      const execConfig = path.join(tmp.dir, 'etc/executor.json');
      const rootKeyId = 'ab'.repeat(32);
      const r2 = await vigil(['agent', 'enroll', '--server', address, '--token', t2, '--ca-fingerprint', fingerprint, '--ca', path.join(pkiDir, 'ca.crt'), '--state-dir', path.join(tmp.dir, 'agent2'), '--root-key-id', rootKeyId, '--executor-config', execConfig, '--json']);
      expect(r2.code, r2.stderr).toBe(0);
      const id2 = (JSON.parse(r2.stdout) as { agentId: string }).agentId;
      expect(JSON.parse(readFileSync(execConfig, 'utf8'))).toEqual({ hostId: id2, rootKeyId, manager: 'apt' });
      const bad = await vigil(['agent', 'enroll', '--server', address, '--token', t2, '--ca-fingerprint', fingerprint, '--ca', path.join(pkiDir, 'ca.crt'), '--root-key-id', 'nope']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--root-key-id must be 64 lowercase hex digits/);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
