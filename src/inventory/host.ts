import { readdirSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import os from 'node:os';
import type { HostFacts } from '../common/model.js';
import { readInRootSync } from './rootfs.js';

/**
 * Facts that identify a host in the fleet: hostname, OS, arch, kernel and addresses.
 * The OS is the distribution and release as systeminformation's `osInfo` names them;
 * on Linux they are read here from the same files, in the same way, because `osInfo`
 * also runs `hostname -f`, `date` and other commands, blocking for over 100 ms, for
 * facts Vigil does not keep. Addresses come from Node's own interface list, which is a
 * single syscall and complete (systeminformation's keeps one address per family).
 */
export async function hostFacts(): Promise<HostFacts> {
  let distro: string;
  let release: string;
  let kernel: string;
  if (process.platform === 'linux') {
    ({ distro, release } = distroRelease(releaseFilesText()));
    kernel = os.release();
  } else {
    const { default: si } = await import('systeminformation');
    const info = await si.osInfo();
    ({ distro, release } = info);
    kernel = info.kernel || os.release();
  }
  const facts: HostFacts = {
    hostname: os.hostname(),
    os: [distro, release].filter(Boolean).join(' ') || os.type(),
    // uname's machine name (x86_64, aarch64), the spelling package arches and advisories use.
    arch: os.machine(),
    addresses: hostAddresses(os.networkInterfaces()),
  };
  if (kernel) facts.kernel = kernel;
  return facts;
}

/** os-release files are a few hundred bytes. */
const MAX_RELEASE_FILE_BYTES = 1024 * 1024;

/**
 * What `cat /etc/*-release; cat /usr/lib/os-release; cat /etc/openwrt_release` prints,
 * the text systeminformation parses: the files one after the other, byte for byte, the
 * glob in byte order as dash sorts it, hidden files left out; a file that cannot be read
 * is skipped, and so is one that is not a regular file (cat would wait on a FIFO).
 */
export function releaseFilesText(etc = '/etc', usrLib = '/usr/lib'): string {
  let names: string[] = [];
  try {
    names = readdirSync(etc).filter((n) => n.endsWith('-release') && !n.startsWith('.'));
  } catch {
    names = [];
  }
  const files = [...names.sort().map((n) => `${etc}/${n}`), `${usrLib}/os-release`, `${etc}/openwrt_release`];
  const parts: Buffer[] = [];
  for (const f of files) {
    try {
      const data = readInRootSync('/', f, { maxBytes: MAX_RELEASE_FILE_BYTES });
      if (data) parts.push(data);
    } catch {
      // cat reports it on stderr and goes on
    }
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * The distribution and release systeminformation's `osInfo` derives from that text on
 * Linux: every `KEY=value` line (later lines win; only the text up to a second `=`
 * counts), the distribution from DISTRIB_ID or NAME, the release from PRETTY_NAME when
 * it starts with the distribution, else VERSION, a codename in parentheses cut off,
 * else DISTRIB_RELEASE or VERSION_ID; quotes removed, `unknown` when missing.
 */
export function distroRelease(text: string): { distro: string; release: string } {
  const rec = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.indexOf('=') !== -1) rec.set(line.split('=')[0]!.trim().toUpperCase(), line.split('=')[1]!.trim());
  }
  const distro = (rec.get('DISTRIB_ID') || rec.get('NAME') || 'unknown').replace(/"/g, '');
  let version = (rec.get('VERSION') || '').replace(/"/g, '');
  const pretty = (rec.get('PRETTY_NAME') || '').replace(/"/g, '');
  if (pretty.indexOf(distro + ' ') === 0) version = pretty.replace(distro + ' ', '').trim();
  if (version.indexOf('(') >= 0) version = version.split('(')[0]!.trim();
  const release = (version || rec.get('DISTRIB_RELEASE') || rec.get('VERSION_ID') || 'unknown').replace(/"/g, '');
  return { distro, release };
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
