import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hostAddresses, hostFacts } from '../../src/inventory/host.js';

const run = promisify(execFile);

function osRelease(): Record<string, string> {
  const text = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
  );
}

describe('hostFacts on this machine', () => {
  it('matches uname, os-release and ip, quickly', async () => {
    await hostFacts(); // the first call pays for loading systeminformation's modules
    const started = performance.now();
    const facts = await hostFacts();
    const ms = performance.now() - started;
    console.log(`hostFacts: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(2000);

    expect(facts.hostname).toBe(os.hostname());
    expect(facts.arch).toBe((await run('uname', ['-m'])).stdout.trim());
    expect(facts.kernel).toBe((await run('uname', ['-r'])).stdout.trim());
    const rel = osRelease();
    if (rel.VERSION_ID) expect(facts.os).toContain(rel.VERSION_ID);
    if (rel.NAME) expect(facts.os.toLowerCase()).toContain(rel.NAME.split(' ')[0]!.toLowerCase());

    if (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip') || existsSync('/usr/bin/ip')) {
      const { stdout } = await run('ip', ['-j', 'addr', 'show']);
      const links = JSON.parse(stdout) as Array<{ addr_info?: Array<{ local: string; scope: string }> }>;
      const expected = links.flatMap((l) => l.addr_info ?? []).filter((a) => a.scope === 'global').map((a) => a.local);
      expect(new Set(facts.addresses)).toEqual(new Set(expected));
    }
  });
});

describe('hostAddresses', () => {
  const a = (address: string, family: 'IPv4' | 'IPv6', internal = false): os.NetworkInterfaceInfo =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as os.NetworkInterfaceInfo;

  it('drops loopback and IPv6 link-local, dedupes, and orders IPv4 first, numerically', () => {
    expect(
      hostAddresses({
        lo: [a('127.0.0.1', 'IPv4', true), a('::1', 'IPv6', true)],
        eth0: [a('10.0.0.10', 'IPv4'), a('fe80::1', 'IPv6'), a('2001:db8::10', 'IPv6'), a('10.0.0.9', 'IPv4')],
        eth1: [a('2001:db8::9', 'IPv6'), a('192.0.2.1', 'IPv4'), a('10.0.0.9', 'IPv4'), a('fd00::2', 'IPv6')],
        down: undefined,
      }),
    ).toEqual(['10.0.0.9', '10.0.0.10', '192.0.2.1', '2001:db8::9', '2001:db8::10', 'fd00::2']);
  });
});
