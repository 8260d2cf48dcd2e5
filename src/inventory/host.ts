import { isIPv4 } from 'node:net';
import os from 'node:os';
import si from 'systeminformation';
import type { HostFacts } from '../common/model.js';

/**
 * Facts that identify a host in the fleet. Only systeminformation's `osInfo`
 * is used (about 20-40 ms): its `networkInterfaces` runs several blocking
 * commands per interface and keeps a single address per family, so addresses
 * come from Node's own interface list, which is a single syscall and complete.
 */
export async function hostFacts(): Promise<HostFacts> {
  const info = await si.osInfo();
  const facts: HostFacts = {
    hostname: os.hostname(),
    os: [info.distro, info.release].filter(Boolean).join(' ') || os.type(),
    // uname's machine name (x86_64, aarch64), the spelling package arches and advisories use.
    arch: os.machine(),
    addresses: hostAddresses(os.networkInterfaces()),
  };
  const kernel = info.kernel || os.release();
  if (kernel) facts.kernel = kernel;
  return facts;
}

/**
 * Non-loopback addresses, IPv4 first, each family in numeric order. IPv6
 * link-local addresses are left out: every interface has one and they are not
 * reachable beyond the link, so they only add noise to a fleet view.
 */
export function hostAddresses(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string[] {
  const out = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv6' && /^fe[89ab]/i.test(a.address)) continue;
      out.add(a.address);
    }
  }
  return [...out].sort(compareAddresses);
}

function compareAddresses(a: string, b: string): number {
  const a4 = isIPv4(a);
  const b4 = isIPv4(b);
  if (a4 !== b4) return a4 ? -1 : 1;
  const ka = a4 ? a.split('.').map(Number) : expandIpv6(a);
  const kb = b4 ? b.split('.').map(Number) : expandIpv6(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return 0;
}

function expandIpv6(address: string): number[] {
  const [head = '', tail] = address.split('%')[0]!.split('::') as [string, string | undefined];
  const hexes = (s: string): number[] => (s ? s.split(':').map((h) => parseInt(h, 16) || 0) : []);
  const left = hexes(head);
  const right = tail === undefined ? [] : hexes(tail);
  return [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}
