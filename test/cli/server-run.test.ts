import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const tmp = tempDir('vigil-server-run-');
afterAll(() => tmp.cleanup());
const dir = path.join(tmp.dir, 'data');
const env = { VIGIL_DATA_DIR: dir, VIGIL_API_URL: '', VIGIL_API_TOKEN: '' };

async function blockPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

/** `vigil server run` in the background until it says where it listens. */
async function startRun(): Promise<{ child: ChildProcess; grpc: string; api: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'server', 'run', '--data-dir', dir, '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  const [grpc, api] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 120_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on grpc (\S+) api (\S+)\n/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve([m[1]!, m[2]!]);
      }
    });
    child.on('exit', () => reject(new Error(`server exited early: ${stderr}`)));
  });
  return { child, grpc, api, exited };
}

describe('vigil server run refuses what it cannot do, and exits', () => {
  it('exits 7 in one line when the gRPC port is taken, and leaves the directory unlocked', async () => {
    const b = await blockPort();
    try {
      const r = await vigil(['server', 'run', '--data-dir', dir, '--listen', `127.0.0.1:${b.port}`, '--api-listen', '127.0.0.1:0'], { timeoutMs: 180_000 });
      expect(r.code, r.stderr).toBe(7);
      const last = r.stderr.trimEnd().split('\n').at(-1);
      expect(last).toBe(`vigil: cannot listen on 127.0.0.1:${b.port}: the address is already in use (EADDRINUSE)`);
      expect(r.stderr).not.toMatch(/No address added/);
    } finally {
      b.server.close();
    }
    expect(existsSync(path.join(dir, 'server.json'))).toBe(false);
  }, 240_000);

  it('exits 7 in one line when the API port is taken', async () => {
    const b = await blockPort();
    try {
      const r = await vigil(['server', 'run', '--data-dir', dir, '--listen', '127.0.0.1:0', '--api-listen', `127.0.0.1:${b.port}`], { timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toBe(`vigil: cannot listen on 127.0.0.1:${b.port}: the address is already in use (EADDRINUSE)\n`);
    } finally {
      b.server.close();
    }
  }, 180_000);

  it('a second server on the same data directory exits 7 and the first keeps serving; the CLI finds the running one', async () => {
    const a = await startRun();
    try {
      const holder = JSON.parse(readFileSync(path.join(dir, 'server.json'), 'utf8')) as { pid: number; api: string };
      expect(holder).toMatchObject({ pid: a.child.pid, api: `http://${a.api}` });
      const second = await vigil(['server', 'run', '--data-dir', dir, '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0'], { timeoutMs: 60_000 });
      expect(second.code).toBe(7);
      expect(second.stderr).toBe(`vigil: another Vigil server (pid ${a.child.pid}) is using ${dir}: ${path.join(dir, 'server.lock')} is locked\n`);
      const health = await fetch(`http://${a.api}/api/v1/health`);
      expect(health.status).toBe(200);
      // No flags: the CLI reads the running server's address and token from the data directory.
      const hosts = await vigil(['hosts'], { env });
      expect(hosts.code, hosts.stderr).toBe(0);
      expect(hosts.stdout).toBe('no hosts enrolled\n');
    } finally {
      a.child.kill('SIGTERM');
    }
    expect(await a.exited).toBe(0);
    expect(existsSync(path.join(dir, 'server.json'))).toBe(false);
    // Stopped: the same command answers from the database itself.
    const after = await vigil(['hosts', '--json'], { env });
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([]);
  }, 300_000);
});
