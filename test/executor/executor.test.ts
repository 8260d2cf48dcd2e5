import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { submitToExecutor } from '../../src/common/executor-client.js';
import { MAX_EXECUTOR_REPLY_BYTES, type ExecutorResult } from '../../src/common/executor-protocol.js';
import { VigilError } from '../../src/common/errors.js';
import { loadExecutorConfig, parseExecutorConfig } from '../../src/executor/config.js';
import { Ledger } from '../../src/executor/ledger.js';
import { OUTPUT_TAIL_BYTES, RUN_ENV, managerSteps, runSteps } from '../../src/executor/run.js';
import { encodeReply } from '../../src/executor/server.js';
import { allFixed, installedVersions } from '../../src/executor/versions.js';
import { vigil } from '../helpers/cli.js';
import { PKGDB, REPO, makeRoot, silentLog, tempDir } from '../helpers/fixtures.js';
import { HOST, capturedLog, config, delegation, makeKeys, recordingSpawn, signed, socketIn, startInProcess, writeConfig } from './helpers.js';

const keys = makeKeys();
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
function temp(prefix: string): string {
  const t = tempDir(prefix);
  cleanups.push(t.cleanup);
  return t.dir;
}

function status(...pkgs: Array<[name: string, version: string, arch?: string]>): string {
  return pkgs.map(([name, version, arch]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: ${arch ?? 'all'}\nVersion: ${version}\nDescription: test\n`).join('\n');
}

/** A root whose dpkg database holds the given packages, rewritten by `setStatus`. */
function dpkgRoot(...pkgs: Array<[string, string, string?]>): { root: string; setStatus: (...p: Array<[string, string, string?]>) => void } {
  const r = makeRoot({ 'var/lib/dpkg/status': status(...pkgs) });
  cleanups.push(r.cleanup);
  return { root: r.root, setStatus: (...p) => writeFileSync(path.join(r.root, 'var/lib/dpkg/status'), status(...p)) };
}

describe('config', () => {
  const base = { hostId: HOST, rootKeyId: 'a'.repeat(64), manager: 'apt' };

  it('fills in the defaults', () => {
    expect(parseExecutorConfig(base, 'f')).toEqual({ ...base, root: '/', stateDir: '/var/lib/vigil-executor', revokedKeys: [], timeoutSeconds: 1800 });
  });

  it.each([
    [{ ...base, hostId: '-x' }, 'f: hostId must be a host id'],
    [{ ...base, rootKeyId: 'A'.repeat(64) }, 'f: rootKeyId must be 64 lowercase hex digits'],
    [{ ...base, manager: 'pacman' }, 'f: manager must be one of apt, dnf, yum, zypper, apk'],
    [{ ...base, root: 'relative' }, 'f: root must be an absolute, normalised path'],
    [{ ...base, root: '/srv/../etc' }, 'f: root must be an absolute, normalised path'],
    [{ ...base, stateDir: '/var/lib/x/' }, 'f: stateDir must be an absolute, normalised path'],
    [{ ...base, revokedKeys: ['nope'] }, 'f: revokedKeys[0] must be 64 lowercase hex digits'],
    [{ ...base, timeoutSeconds: 0 }, 'f: timeoutSeconds must be a whole number of seconds'],
    [{ ...base, timeoutSeconds: 1.5 }, 'f: timeoutSeconds must be a whole number of seconds'],
    [{ ...base, trustEveryone: true }, 'f: "trustEveryone" is not a field'],
    [[base], 'f: not a JSON object'],
  ])('refuses %j with one line naming the field', (value, message) => {
    expect(() => parseExecutorConfig(value, 'f')).toThrow(message);
  });

  it('refuses a file others could write', () => {
    const dir = temp('vigil-executor-cfg-');
    const file = writeConfig(path.join(dir, 'executor.json'), base);
    expect(loadExecutorConfig(file).hostId).toBe(HOST);
    chmodSync(file, 0o666);
    expect(() => loadExecutorConfig(file)).toThrow(/writable by group or others/);
    expect(() => loadExecutorConfig(path.join(dir, 'missing.json'))).toThrow(VigilError);
  });
});

describe('ledger', () => {
  it('keeps accepted ids and the highest serial across reopenings', () => {
    const dir = path.join(temp('vigil-ledger-'), 'state');
    const a = Ledger.open(dir, silentLog);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    a.record('c-1');
    a.record('c-2');
    a.noteSerial(7);
    a.noteSerial(5);
    const b = Ledger.open(dir, silentLog);
    expect(b.has('c-1') && b.has('c-2')).toBe(true);
    expect(b.has('c-3')).toBe(false);
    expect(b.minSerial).toBe(7);
    expect(statSync(path.join(dir, 'ledger')).mode & 0o777).toBe(0o600);
  });

  it('drops a torn last line and starts the next id on its own line', () => {
    const dir = path.join(temp('vigil-ledger-'), 'state');
    Ledger.open(dir, silentLog).record('c-whole');
    appendFileSync(path.join(dir, 'ledger'), 'c-to'); // a crash mid-append
    const { log, records } = capturedLog();
    const l = Ledger.open(dir, log);
    expect(records.some((r) => String(r.msg).includes('torn line'))).toBe(true);
    expect(l.has('c-whole')).toBe(true);
    expect(l.has('c-to')).toBe(false);
    l.record('c-next');
    expect(readFileSync(path.join(dir, 'ledger'), 'utf8')).toBe('c-whole\nc-to\nc-next\n');
    const again = Ledger.open(dir, silentLog);
    expect(again.has('c-next') && again.has('c-to')).toBe(true);
  });

  it('refuses a state directory others could write', () => {
    const dir = temp('vigil-ledger-');
    mkdirSync(path.join(dir, 'open'));
    chmodSync(path.join(dir, 'open'), 0o777);
    expect(() => Ledger.open(path.join(dir, 'open'), silentLog)).toThrow(/writable by group or others/);
  });
});

describe('package manager argv', () => {
  it('is fixed per manager, with each package name one entry after the options', () => {
    const names = ['openssl', 'libssl3'];
    expect(managerSteps('apt', names, '/')).toEqual([
      { argv: ['apt-get', 'update'], required: false },
      {
        argv: ['apt-get', 'install', '-y', '--only-upgrade', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'openssl', 'libssl3'],
        required: true,
      },
    ]);
    expect(managerSteps('dnf', names, '/')).toEqual([{ argv: ['dnf', '-y', 'upgrade', 'openssl', 'libssl3'], required: true }]);
    expect(managerSteps('yum', names, '/')).toEqual([{ argv: ['yum', '-y', 'upgrade', 'openssl', 'libssl3'], required: true }]);
    expect(managerSteps('zypper', names, '/')).toEqual([{ argv: ['zypper', '--non-interactive', 'update', 'openssl', 'libssl3'], required: true }]);
    expect(managerSteps('apk', names, '/')).toEqual([
      { argv: ['apk', 'update'], required: false },
      { argv: ['apk', 'upgrade', 'openssl', 'libssl3'], required: true },
    ]);
  });

  it('runs under chroot for another root', () => {
    expect(managerSteps('apk', ['musl'], '/srv/hosts/a').map((s) => s.argv)).toEqual([
      ['chroot', '/srv/hosts/a', 'apk', 'update'],
      ['chroot', '/srv/hosts/a', 'apk', 'upgrade', 'musl'],
    ]);
  });
});

describe('runner', () => {
  it('spawns without a shell, in its own process group, with only the fixed environment', async () => {
    const { spawnFn, calls } = recordingSpawn();
    process.env.VIGIL_SECRET_FOR_TEST = 'leak';
    try {
      const r = await runSteps([{ argv: ['apt-get', 'update'], required: true }], { timeoutMs: 10_000, spawnFn });
      expect(r.ok).toBe(true);
    } finally {
      delete process.env.VIGIL_SECRET_FOR_TEST;
    }
    expect(calls[0]!.options).toMatchObject({ shell: false, detached: true, cwd: '/', env: RUN_ENV });
    expect(Object.keys(calls[0]!.options.env!).sort()).toEqual(['DEBIAN_FRONTEND', 'LC_ALL', 'PATH']);
  });

  it('sees exactly that environment in the child', async () => {
    process.env.VIGIL_SECRET_FOR_TEST = 'leak';
    try {
      const r = await runSteps([{ argv: ['env'], required: true }], { timeoutMs: 10_000 });
      expect(r.outputTail.split('\n').filter((l) => l.includes('=')).sort()).toEqual(['DEBIAN_FRONTEND=noninteractive', 'LC_ALL=C', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    } finally {
      delete process.env.VIGIL_SECRET_FOR_TEST;
    }
  });

  it('records a failed optional step and goes on; a failed required step fails the run', async () => {
    const r = await runSteps(
      [
        { argv: ['false'], required: false },
        { argv: ['sh', '-c', 'echo upgraded; exit 3'], required: true },
        { argv: ['true'], required: true },
      ],
      { timeoutMs: 10_000 },
    );
    expect(r).toMatchObject({ ok: false, failure: 'exit-status', exitCode: 3 });
    expect(r.steps.map((s) => s.exitCode)).toEqual([1, 3]);
    expect(r.outputTail).toContain('$ false\nvigil-executor: exit status 1\n$ sh -c echo upgraded; exit 3\nupgraded\n');
  });

  it('kills the whole process group on timeout', async () => {
    const dir = temp('vigil-runner-');
    const pidFile = path.join(dir, 'pid');
    const t0 = Date.now();
    const r = await runSteps([{ argv: ['sh', '-c', `sleep 60 & echo $! > ${pidFile}; wait`], required: true }], { timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r).toMatchObject({ ok: false, failure: 'timeout', exitCode: null });
    // The grandchild is gone too: no process, or a zombie waiting for its reaper.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : undefined;
    expect(stat === undefined || / Z /.test(stat.slice(stat.lastIndexOf(')')))).toBe(true);
  });

  it('reports a program that cannot be started', async () => {
    const r = await runSteps([{ argv: ['vigil-no-such-manager'], required: true }], { timeoutMs: 5_000 });
    expect(r).toMatchObject({ ok: false, failure: 'spawn-failed' });
    expect(r.outputTail).toContain('cannot run vigil-no-such-manager: spawn vigil-no-such-manager ENOENT');
  });

  it('keeps only the last 64 KiB of output', async () => {
    const r = await runSteps([{ argv: ['sh', '-c', "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo END"], required: true }], { timeoutMs: 10_000 });
    expect(r.ok).toBe(true);
    expect(Buffer.byteLength(r.outputTail)).toBe(OUTPUT_TAIL_BYTES);
    expect(r.outputTail.endsWith('x\nEND\n')).toBe(true);
  });

  it('cuts an output tail that would overflow the reply frame', () => {
    const result: ExecutorResult = { outcome: 'failed', before: [], after: [], verified: false, outputTail: '\u0001'.repeat(OUTPUT_TAIL_BYTES) };
    const f = encodeReply(result);
    expect(f.length - 4).toBeLessThanOrEqual(MAX_EXECUTOR_REPLY_BYTES);
    expect(f.readUInt32BE(0)).toBe(f.length - 4);
  });
});

describe('installed versions', () => {
  it('reads dpkg, taking the lowest of a multiarch package and the binary version', async () => {
    const { root } = dpkgRoot(['libfoo', '1.0-2', 'amd64'], ['libfoo', '1.0-1', 'i386'], ['vigil-demo', '1:0.9-1']);
    const v = await installedVersions('apt', root, ['libfoo', 'vigil-demo', 'absent'], silentLog);
    expect(v).toEqual([{ name: 'libfoo', version: '1.0-1' }, { name: 'vigil-demo', version: '1:0.9-1' }, { name: 'absent' }]);
    expect(allFixed('apt', [{ name: 'vigil-demo', version: '2.0-1' }], v)).toBe(true); // the epoch wins
    expect(allFixed('apt', [{ name: 'libfoo', version: '1.0-2' }], v)).toBe(false);
    expect(allFixed('apt', [{ name: 'absent', version: '1' }], v)).toBe(false);
    expect(allFixed('apt', [], v)).toBe(false);
  });

  it('reads rpm databases with [epoch:]version-release', async () => {
    const r = makeRoot({ 'var/lib/rpm/rpmdb.sqlite': { copy: path.join(PKGDB, 'rpm/cbl-mariner-2.0/rpmdb.sqlite') } });
    cleanups.push(r.cleanup);
    const v = await installedVersions('dnf', r.root, ['bash', 'ca-certificates-base'], silentLog);
    expect(v).toEqual([{ name: 'bash', version: '5.1.8-1.cm2' }, { name: 'ca-certificates-base', version: '1:2.0.0-1.cm2' }]);
    expect(allFixed('dnf', [{ name: 'bash', version: '5.1.8-1.cm2' }, { name: 'ca-certificates-base', version: '3.0-1' }], v)).toBe(true);
    expect(allFixed('dnf', [{ name: 'bash', version: '5.1.9-1.cm2' }], v)).toBe(false);
  });

  it('reads apk', async () => {
    const r = makeRoot({ 'lib/apk/db/installed': { copy: path.join(PKGDB, 'apk/trivy-apk/installed') } });
    cleanups.push(r.cleanup);
    const v = await installedVersions('apk', r.root, ['musl'], silentLog);
    expect(v).toEqual([{ name: 'musl', version: '1.1.14-r10' }]);
    expect(allFixed('apk', [{ name: 'musl', version: '1.1.14-r11' }], v)).toBe(false);
    expect(allFixed('apk', [{ name: 'musl', version: '1.1.14-r10' }], v)).toBe(true);
  });
});

describe('a verified patch, with a runner standing in for apt', () => {
  it('runs the fixed argv under chroot and reports before, after and verified', async () => {
    const dir = temp('vigil-executor-run-');
    const { root, setStatus } = dpkgRoot(['vigil-demo', '1.0-1'], ['other', '2.0-1']);
    // The stand-in upgrades the package the way apt would, in the root's database.
    const { spawnFn, calls } = recordingSpawn({ before: (argv) => argv.includes('install') && setStatus(['vigil-demo', '1.0-2'], ['other', '2.0-1']) });
    const { log, records } = capturedLog();
    const ex = await startInProcess(config(keys, path.join(dir, 'state'), { root }), socketIn(dir), { spawnFn, log });
    try {
      const r = await submitToExecutor(socketIn(dir), signed(keys, { packages: [{ name: 'vigil-demo', version: '1.0-2' }] }), 10_000);
      expect(r).toMatchObject({ outcome: 'completed', hostId: HOST, jobId: 'j-0001', exitCode: 0, verified: true });
      expect(r.before).toEqual([{ name: 'vigil-demo', version: '1.0-1' }]);
      expect(r.after).toEqual([{ name: 'vigil-demo', version: '1.0-2' }]);
      expect(calls.map((c) => c.argv)).toEqual([
        ['chroot', root, 'apt-get', 'update'],
        ['chroot', root, 'apt-get', 'install', '-y', '--only-upgrade', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'vigil-demo'],
      ]);
      expect(r.outputTail).toContain(`$ chroot ${root} apt-get update\n`);
      expect(Date.parse(r.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(r.startedAt!));
      expect(records.map((x) => x.msg)).toEqual(expect.arrayContaining(['command accepted', 'running', 'step finished', 'command finished']));
      // The id is on disk before the run: one line, once.
      expect(readFileSync(path.join(dir, 'state/ledger'), 'utf8')).toBe(`${r.commandId}\n`);
      expect(readFileSync(path.join(dir, 'state/delegation-serial'), 'utf8')).toBe('42\n');
    } finally {
      await ex.close();
    }
  });

  it('reports a failed run as failed and unverified', async () => {
    const dir = temp('vigil-executor-run-');
    const { root } = dpkgRoot(['vigil-demo', '1.0-1']);
    const { spawnFn } = recordingSpawn({ instead: ['sh', '-c', 'echo E: Unable to locate package >&2; exit 100'] });
    const ex = await startInProcess(config(keys, path.join(dir, 'state'), { root }), socketIn(dir), { spawnFn, log: silentLog });
    try {
      const r = await submitToExecutor(socketIn(dir), signed(keys), 10_000);
      expect(r).toMatchObject({ outcome: 'failed', reason: 'exit-status', exitCode: 100, verified: false, detail: 'apt-get exited with 100' });
      expect(r.before).toEqual(r.after);
      expect(r.outputTail).toContain('E: Unable to locate package');
    } finally {
      await ex.close();
    }
  });

  it('reports a timeout as failed', async () => {
    const dir = temp('vigil-executor-run-');
    const { root } = dpkgRoot(['vigil-demo', '1.0-1']);
    const { spawnFn } = recordingSpawn({ instead: ['sleep', '30'] });
    const ex = await startInProcess(config(keys, path.join(dir, 'state'), { root, timeoutSeconds: 1 }), socketIn(dir), { spawnFn, log: silentLog });
    try {
      const r = await submitToExecutor(socketIn(dir), signed(keys), 10_000);
      expect(r).toMatchObject({ outcome: 'failed', reason: 'timeout', verified: false });
    } finally {
      await ex.close();
    }
  });

  it('runs one command at a time; a second connection waits', async () => {
    const dir = temp('vigil-executor-run-');
    const { root } = dpkgRoot(['vigil-demo', '1.0-1']);
    const { spawnFn, calls } = recordingSpawn({ instead: ['sleep', '0.3'] });
    const ex = await startInProcess(config(keys, path.join(dir, 'state'), { root }), socketIn(dir), { spawnFn, log: silentLog });
    try {
      const results = await Promise.all([1, 2, 3].map(() => submitToExecutor(socketIn(dir), signed(keys), 20_000)));
      expect(results.map((r) => r.outcome)).toEqual(['completed', 'completed', 'completed']);
      expect(calls.length).toBe(6);
      const spans = calls.map((c) => [c.startedAt, c.exitedAt!] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    } finally {
      await ex.close();
    }
  });
});

describe('the socket', () => {
  it.skipIf(process.getuid?.() !== 0)('is created 0600 and given to the agent user', async () => {
    const dir = temp('vigil-executor-sock-');
    const sock = socketIn(dir);
    const { startExecutor } = await import('../../src/executor/server.js');
    const ex = await startExecutor({ config: config(keys, path.join(dir, 'state')), listen: { path: sock, owner: { uid: 65534, gid: 65534 } }, log: silentLog });
    try {
      const st = statSync(sock);
      expect(st.isSocket()).toBe(true);
      expect(st.mode & 0o777).toBe(0o600);
      expect([st.uid, st.gid]).toEqual([65534, 65534]);
    } finally {
      await ex.close();
    }
    expect(existsSync(sock)).toBe(false);
  });

  it('takes a socket from systemd socket activation (vigil executor serve)', async () => {
    const dir = temp('vigil-executor-act-');
    const sock = socketIn(dir);
    const cfg = writeConfig(path.join(dir, 'executor.json'), { hostId: HOST, rootKeyId: keys.root.keyid, manager: 'apt', stateDir: path.join(dir, 'state') });
    const activate = spawn('systemd-socket-activate', ['-l', sock, '-E', 'VIGIL_LOG_LEVEL=info', process.execPath, path.join(REPO, 'bin/vigil.js'), 'executor', 'serve', '--config', cfg], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    activate.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((res) => setTimeout(res, 50));
      const r = await submitToExecutor(sock, signed(keys, { action: 'rescan', packages: [] }), 20_000);
      expect(r).toMatchObject({ outcome: 'completed', hostId: HOST });
      for (let i = 0; i < 40 && !stderr.includes('"msg":"command accepted"'); i++) await new Promise((res) => setTimeout(res, 50));
      expect(stderr).toContain('"listen":"fd 3"');
      expect(stderr).toContain('"msg":"command accepted"');
    } finally {
      activate.kill('SIGTERM');
      await new Promise((res) => activate.once('exit', res));
    }
  });

  it('refuses to serve without a socket', async () => {
    const dir = temp('vigil-executor-cli-');
    const cfg = writeConfig(path.join(dir, 'executor.json'), { hostId: HOST, rootKeyId: keys.root.keyid, manager: 'apt', stateDir: path.join(dir, 'state') });
    const r = await vigil(['executor', 'serve', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no socket was passed by systemd');
  });

  it('vigil executor submit prints the result and exits 1 for a refusal', async () => {
    const dir = temp('vigil-executor-cli-');
    const sock = socketIn(dir);
    const ex = await startInProcess(config(keys, path.join(dir, 'state')), sock, { log: silentLog });
    try {
      const file = path.join(dir, 'cmd.json');
      writeFileSync(file, signed(keys, {}, { delegation: delegation(keys, { actions: ['rescan'] }) }));
      const r = await vigil(['executor', 'submit', '--socket', sock, '--file', file]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'refused', reason: 'action-not-delegated' });
    } finally {
      await ex.close();
    }
  });
});
