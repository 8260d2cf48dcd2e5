import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, EXIT_FINDINGS } from '../../src/common/errors.js';
import { vigil } from '../helpers/cli.js';
import { enroll, startServer, type ServerHandle } from '../helpers/fleet.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';

const tmp = tempDir('vigil-exit-');
const db = path.join(tmp.dir, 'db');
const project = path.join(PKGDB, 'npm/real-npm-v2');
afterAll(tmp.cleanup);

beforeAll(async () => {
  const r = await vigil(['db', 'import', path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  mkdirSync(path.join(tmp.dir, 'in'));
  writeFileSync(path.join(tmp.dir, 'in/package-lock.json'), '{"lockfileVersion": 3, "packages": {');
  writeFileSync(path.join(tmp.dir, 'in/notes.txt'), 'hello\n');
});

/** One line on stderr, `vigil: …`, for every error. */
function oneLine(stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l.startsWith('vigil: ') && !/^vigil: \d+ components/.test(l));
  expect(lines.length, stderr).toBeGreaterThanOrEqual(1);
}

describe('every exit status of the catalog, from a real command', () => {
  it('1: scan --fail-on found something at or above it, and only then', async () => {
    expect(EXIT_FINDINGS).toBe(1);
    expect((await vigil(['scan', project, '--db', db, '--fail-on', 'low', '--quiet'])).code).toBe(1);
    expect((await vigil(['scan', project, '--db', db, '--quiet'])).code).toBe(0);
  });

  it('2 USAGE: a bad flag value', async () => {
    const r = await vigil(['scan', project, '--db', db, '--format', 'xml']);
    expect(r.code).toBe(ERROR_CODES.USAGE.exit);
    oneLine(r.stderr);
    expect((await vigil(['--log-level', 'loud', 'version'])).code).toBe(2);
  });

  it('3 NOT_FOUND: a named path that does not exist', async () => {
    const r = await vigil(['scan', path.join(tmp.dir, 'nope.json'), '--db', db]);
    expect(r.code).toBe(ERROR_CODES.NOT_FOUND.exit);
    expect(r.stderr).toMatch(/^vigil: no such file or directory: /m);
  });

  it('4 INVALID_INPUT: a named file that does not parse', async () => {
    const r = await vigil(['scan', path.join(tmp.dir, 'in/package-lock.json'), '--db', db]);
    expect(r.code).toBe(ERROR_CODES.INVALID_INPUT.exit);
    expect(r.stderr).toMatch(/was not scanned: lockfile is not valid JSON/);
  });

  it('5 NOT_COVERED: a named file no collector reads', async () => {
    const r = await vigil(['scan', path.join(tmp.dir, 'in/notes.txt'), '--db', db]);
    expect(r.code).toBe(ERROR_CODES.NOT_COVERED.exit);
    expect(r.stderr).toMatch(/no Vigil collector reads this kind of file/);
  });

  it('6 IO: output that cannot be written', async () => {
    const r = await vigil(['sbom', project, '-o', path.join(tmp.dir, 'missing/out.json')]);
    expect(r.code).toBe(ERROR_CODES.IO.exit);
    expect(r.stderr).toMatch(/^vigil: cannot write .*out\.json: ENOENT/m);
  });

  it('7 UNAVAILABLE: an API nobody answers on', async () => {
    // A port just released: connection refused.
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const r = await vigil(['hosts', '--api', `http://127.0.0.1:${port}`], { env: { VIGIL_API_TOKEN: 'x'.repeat(32) } });
    expect(r.code).toBe(ERROR_CODES.UNAVAILABLE.exit);
    expect(r.stderr).toMatch(/^vigil: cannot reach the Vigil API at /m);
  });

  it('8 CONFLICT: a root key that already exists', async () => {
    const keys = path.join(tmp.dir, 'keys');
    expect((await vigil(['keys', 'init', '--out', keys])).code).toBe(0);
    const r = await vigil(['keys', 'init', '--out', keys]);
    expect(r.code).toBe(ERROR_CODES.CONFLICT.exit);
    expect(r.stderr).toMatch(/already exists/);
  });

  describe('against a real server', () => {
    let server: ServerHandle;
    beforeAll(async () => {
      server = await startServer(path.join(tmp.dir, 'server'));
    }, 300_000);
    afterAll(async () => {
      await server?.proc.kill();
    });

    it('9 UNAUTHENTICATED: an API token the server does not hold', async () => {
      const r = await vigil(['hosts', '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: 'w'.repeat(32) } });
      expect(r.code).toBe(ERROR_CODES.UNAUTHENTICATED.exit);
      expect(r.stderr).toMatch(/^vigil: unknown, revoked or expired API token$/m);
    });

    it('10 PERMISSION_DENIED: agent run --once on a revoked host', async () => {
      const stateDir = path.join(tmp.dir, 'agent');
      const id = await enroll(server, stateDir);
      const rev = await vigil(['hosts', 'revoke', id, '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });
      expect(rev.code, rev.stderr).toBe(0);
      const root = makeRoot({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
      try {
        const config = path.join(stateDir, 'agent.json');
        writeFileSync(config, JSON.stringify({ stateDir, root: root.root, reconnect: { initialMs: 100, maxMs: 1000 } }));
        const r = await vigil(['agent', 'run', '--once', '--config', config]);
        expect(r.code, r.stderr).toBe(ERROR_CODES.PERMISSION_DENIED.exit);
        expect(r.stderr).toMatch(new RegExp(`^vigil: the server ended this agent's stream: PERMISSION_DENIED: agent ${id} was revoked at `, 'm'));
      } finally {
        root.cleanup();
      }
    });
  });

  it('70 INTERNAL: a failure that is not one of Vigil own errors', async () => {
    // An injected bug in one command: main maps anything but a VigilError to 70, in one line.
    vi.doMock('../../src/cli/commands/version.js', () => ({
      VERSION_USAGE: '',
      versionCommand: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    }));
    const { main } = await import('../../src/cli/main.js');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['version', 'compare', '1', '2'])).toBe(ERROR_CODES.INTERNAL.exit);
      expect(write.mock.calls.map((c) => String(c[0]))).toEqual(["vigil: Cannot read properties of undefined (reading 'x')\n"]);
    } finally {
      write.mockRestore();
      vi.doUnmock('../../src/cli/commands/version.js');
    }
  });
});

describe('the README documents the catalog exactly', () => {
  it('has one table row per code, with its exit, gRPC and HTTP statuses and whether it is retryable', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d+) \| ?([A-Z_]*) ?\| ?([A-Z_]*) ?\| ?(\d*) ?\| ?(yes|no|) ?\|/gm)].map((m) => m.slice(1).join(' '));
    expect(rows).toEqual(['0    ', '1    ', ...Object.entries(ERROR_CODES).map(([code, e]) => `${e.exit} ${code} ${e.grpc} ${e.http} ${e.retryable ? 'yes' : 'no'}`)]);
  });
});
