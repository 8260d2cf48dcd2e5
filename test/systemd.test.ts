import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canDenyWriteExecute, unitRuntime } from '../src/bench/unit-runtime.js';
import { REPO, tempDir } from './helpers/fixtures.js';

const units = readdirSync(path.join(REPO, 'systemd')).filter((f) => /\.(service|timer|socket)$/.test(f));
const tmp = tempDir('vigil-units-');
afterAll(tmp.cleanup);

// verify checks that every ExecStart= command exists. /usr/bin/vigil is what the
// .deb installs (test/packaging checks it there), so the copies verified here run a
// stub in its place; every other command is checked on this host as written.
const stub = path.join(tmp.dir, 'vigil-stub');
writeFileSync(stub, '#!/bin/sh\nexit 0\n');
chmodSync(stub, 0o755);
for (const u of units) {
  const text = readFileSync(path.join(REPO, 'systemd', u), 'utf8').replaceAll('/usr/bin/vigil ', `${stub} `);
  writeFileSync(path.join(tmp.dir, u), text);
}

function exposure(unit: string): number {
  const out = execFileSync('systemd-analyze', ['security', '--offline=yes', path.join(tmp.dir, unit)], { encoding: 'utf8' });
  const m = new RegExp(`Overall exposure level for ${unit.replaceAll('.', '\\.')}: ([0-9.]+)`).exec(out);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

describe('systemd units', () => {
  it('include the agent, server and inventory units', () => {
    expect(units).toEqual(expect.arrayContaining(['vigil-agent.service', 'vigil-server.service', 'vigil-inventory.service', 'vigil-inventory.timer']));
  });

  it.each(units)('%s passes systemd-analyze verify', (unit) => {
    const r = spawnSync('systemd-analyze', ['verify', path.join(tmp.dir, unit)], { encoding: 'utf8' });
    // verify warns on stderr about anything it dislikes; a clean unit prints nothing.
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  // Each bound is the score systemd 252 (Debian 12) gives the unit today plus 0.2,
  // so loosening any setting that counts fails here.
  it('the inventory service is hardened to an exposure level of 2.3 or better', () => {
    expect(exposure('vigil-inventory.service')).toBeLessThanOrEqual(2.3);
  });

  it('the agent service is hardened to an exposure level of 2.3 or better', () => {
    expect(exposure('vigil-agent.service')).toBeLessThanOrEqual(2.3);
  });

  it('the server service is hardened to an exposure level of 1.3 or better', () => {
    expect(exposure('vigil-server.service')).toBeLessThanOrEqual(1.3);
  });

  // The executor runs the package manager as root, so most hardening would break
  // package installs (see the unit's comments); 7.0 is the ceiling it must stay under
  // (it scores 6.4 today), and the two settings that got it there must stay.
  it('the executor service is hardened to an exposure level of 7.0 or better', () => {
    expect(exposure('vigil-executor.service')).toBeLessThanOrEqual(7.0);
    const service = readFileSync(path.join(REPO, 'systemd/vigil-executor.service'), 'utf8');
    expect(service).toMatch(/^RestrictNamespaces=~user pid net uts ipc cgroup$/m);
    expect(service).toMatch(/^SystemCallFilter=~@raw-io$/m);
  });

  it('the executor is socket-activated on a 0600 socket owned by the agent user', () => {
    expect(units).toEqual(expect.arrayContaining(['vigil-executor.socket', 'vigil-executor.service']));
    const socket = readFileSync(path.join(REPO, 'systemd/vigil-executor.socket'), 'utf8');
    const service = readFileSync(path.join(REPO, 'systemd/vigil-executor.service'), 'utf8');
    for (const line of ['ListenStream=/run/vigil/executor.sock', 'SocketUser=vigil', 'SocketGroup=vigil', 'SocketMode=0600', 'Accept=no'])
      expect(socket).toMatch(new RegExp(`^${line}$`, 'm'));
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/vigil executor serve --config \/etc\/vigil\/executor\.json$/m);
    expect(service).toMatch(/^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6$/m);
    expect(service).toMatch(/^NoNewPrivileges=yes$/m);
    expect(service).not.toMatch(/^User=vigil$/m);
  });

  it('the agent holds only the capabilities that map sockets to processes, and the server none', () => {
    const agent = readFileSync(path.join(REPO, 'systemd/vigil-agent.service'), 'utf8');
    const server = readFileSync(path.join(REPO, 'systemd/vigil-server.service'), 'utf8');
    for (const key of ['AmbientCapabilities', 'CapabilityBoundingSet'])
      expect(agent).toMatch(new RegExp(`^${key}=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE$`, 'm'));
    expect(server).toMatch(/^CapabilityBoundingSet=$/m);
    expect(server).toMatch(/^AmbientCapabilities=$/m);
    for (const text of [agent, server]) {
      expect(text).toMatch(/^User=vigil$/m);
      expect(text).toMatch(/^NoNewPrivileges=yes$/m);
      expect(text).toMatch(/^ProtectSystem=strict$/m);
    }
  });

  // What the agent does at run time, in one process: TLS over loopback (the gRPC
  // stream's crypto), regular expressions, JSON, a child process (collections).
  const AGENT_WORK = `
    const tls = require('node:tls'), { execFileSync } = require('node:child_process'), { generateKeyPairSync, createSign } = require('node:crypto');
    if (!/^(?<n>[a-z0-9.+-]+)$/.test('libssl3')) process.exit(3);
    JSON.parse(JSON.stringify({ a: [1, 2, 3] }));
    execFileSync(process.execPath, ['-e', 'process.exit(0)']);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    createSign('SHA256').update('x').sign(privateKey);
    const s = tls.connect({ host: '127.0.0.1', port: 9, rejectUnauthorized: false }).on('error', () => process.exit(0));
  `;

  it.skipIf(!canDenyWriteExecute())('the agent runs as its unit runs it, under MemoryDenyWriteExecute= (kernel PR_SET_MDWE)', () => {
    const rt = unitRuntime(REPO, 'vigil-agent.service');
    expect(rt.env.NODE_OPTIONS).toMatch(/--jitless/);
    expect(rt.describe).toMatch(/MemoryDenyWriteExecute=yes/);
    const run = (env: Record<string, string>) =>
      spawnSync(rt.command, [...rt.prefix, '-e', AGENT_WORK], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    const ok = run(rt.env);
    // Node 20 notes that --jitless turns Wasm off; nothing else may be printed.
    expect(ok.stderr.replace(/^Warning: disabling flag --expose_wasm.*\n/gm, '')).toBe('');
    expect(ok.status).toBe(0);
    // The rule is really applied: the same process with V8's JIT aborts on its first executable page.
    const jit = run({ NODE_OPTIONS: rt.env.NODE_OPTIONS!.replace('--jitless', '').trim() });
    expect(jit.status).not.toBe(0);
    expect(jit.stderr).toMatch(/SetPermissions|Fatal error/);
  });
});
