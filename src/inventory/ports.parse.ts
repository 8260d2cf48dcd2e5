import { endianness } from 'node:os';
import type { Exposure, ListeningPort } from '../common/model.js';

/**
 * Pure parsing of the kernel's socket tables (`/proc/net/tcp`, `tcp6`, `udp`,
 * `udp6`) and classification of bound addresses. No I/O here, so the parser
 * runs on captured text from any host.
 */

export type SocketProtocol = ListeningPort['protocol'];

export interface SocketEndpoint {
  address: string;
  port: number;
}

export interface ProcNetSocket {
  protocol: SocketProtocol;
  local: SocketEndpoint;
  remote: SocketEndpoint;
  /** Kernel TCP state number (`0x0A` listen, `0x07` close, which unconnected UDP sockets report). */
  state: number;
  uid: number;
  /** 0 for sockets the kernel holds without a file (no process can own them). */
  inode: number;
  listening: boolean;
}

export interface ProcNetError {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  message: string;
}

export interface ProcNetParseResult {
  sockets: ProcNetSocket[];
  errors: ProcNetError[];
}

export interface ProcNetParseOptions {
  /** Keep only listening sockets (default), which skips decoding the others. */
  listeningOnly?: boolean;
  /**
   * The kernel prints each 32-bit address word in host byte order, so the
   * captured text decodes differently on big-endian hosts (s390x).
   */
  littleEndian?: boolean;
}

const TCP_LISTEN = 0x0a;
const TCP_CLOSE = 0x07;
/** sl local remote st tx:rx tr:when retrnsmt uid timeout inode; one match per line keeps 100k-connection tables cheap. */
const LINE =
  /^\s*\d+: ([0-9A-Fa-f]+):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]+):([0-9A-Fa-f]{4}) ([0-9A-Fa-f]{2}) [0-9A-Fa-f]+:[0-9A-Fa-f]+ [0-9A-Fa-f]+:[0-9A-Fa-f]+ [0-9A-Fa-f]+ +(\d+) +-?\d+ +(\d+)(?: |$)/;
const ZERO = /^0+$/;
const MAX_ERROR_TEXT = 200;

/**
 * Parse one `/proc/net/{tcp,tcp6,udp,udp6}` file. A malformed line becomes an
 * error entry and parsing goes on: a kernel quirk on one line must not hide
 * every other listener.
 */
export function parseProcNet(text: string, protocol: SocketProtocol, opts: ProcNetParseOptions = {}): ProcNetParseResult {
  const listeningOnly = opts.listeningOnly ?? true;
  const littleEndian = opts.littleEndian ?? endianness() === 'LE';
  const hexLength = protocol.endsWith('6') ? 32 : 8;
  const udp = protocol.startsWith('udp');
  const sockets: ProcNetSocket[] = [];
  const errors: ProcNetError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = LINE.exec(line);
    if (!m) {
      const trimmed = line.trim();
      if (trimmed === '' || (i === 0 && trimmed.startsWith('sl '))) continue;
      errors.push(lineError(i, line, diagnose(trimmed)));
      continue;
    }
    const [, localHex, localPort, remoteHex, remotePort, stateText, uidText, inodeText] = m as unknown as [string, string, string, string, string, string, string, string];
    if (localHex.length !== hexLength || remoteHex.length !== hexLength) {
      errors.push(lineError(i, line, `expected ${hexLength}-digit addresses in ${protocol}`));
      continue;
    }
    const uid = Number(uidText);
    const inode = Number(inodeText);
    if (!Number.isSafeInteger(inode) || uid > 0xffffffff) {
      errors.push(lineError(i, line, `uid or inode out of range "${uidText}" "${inodeText}"`));
      continue;
    }
    const state = parseInt(stateText, 16);
    const listening = udp ? state === TCP_CLOSE && remotePort === '0000' && ZERO.test(remoteHex) : state === TCP_LISTEN;
    // Busy servers hold many thousands of connections; only listeners are worth decoding.
    if (listeningOnly && !listening) continue;
    sockets.push({
      protocol,
      local: decodeEndpoint(localHex, localPort, littleEndian),
      remote: decodeEndpoint(remoteHex, remotePort, littleEndian),
      state,
      uid,
      inode,
      listening,
    });
  }
  return { sockets, errors };
}

function lineError(index: number, line: string, message: string): ProcNetError {
  return { line: index + 1, text: line.length > MAX_ERROR_TEXT ? line.slice(0, MAX_ERROR_TEXT) + '…' : line, message };
}

/** Say which field is wrong, for the problem report; only runs on lines that failed. */
function diagnose(trimmed: string): string {
  const f = trimmed.split(/\s+/);
  if (f.length < 10) return `expected at least 10 fields, found ${f.length}`;
  if (!/^\d+:$/.test(f[0]!)) return `bad slot field "${f[0]}"`;
  for (const [k, name] of [
    [1, 'local address'],
    [2, 'remote address'],
  ] as const) {
    if (!/^[0-9A-Fa-f]+:[0-9A-Fa-f]{4}$/.test(f[k]!)) return `bad ${name} "${f[k]}"`;
  }
  if (!/^[0-9A-Fa-f]{2}$/.test(f[3]!)) return `bad state "${f[3]}"`;
  if (!/^\d+$/.test(f[7]!) || !/^\d+$/.test(f[9]!)) return `bad uid or inode "${f[7]}" "${f[9]}"`;
  return 'unexpected layout';
}

/** Decode an address and port already checked by LINE. */
function decodeEndpoint(hex: string, portHex: string, littleEndian: boolean): SocketEndpoint {
  const bytes = new Uint8Array(hex.length / 2);
  for (let w = 0; w < hex.length / 8; w++) {
    for (let b = 0; b < 4; b++) {
      bytes[w * 4 + (littleEndian ? 3 - b : b)] = parseInt(hex.slice(w * 8 + b * 2, w * 8 + b * 2 + 2), 16);
    }
  }
  return { address: bytes.length === 4 ? formatIpv4(bytes, 0) : formatIpv6(bytes), port: parseInt(portHex, 16) };
}

function formatIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 text: lowercase, longest zero run compressed, IPv4-mapped in dotted form. */
export function formatIpv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${formatIpv4(bytes, 12)}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestLen < 2) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

/**
 * Who can reach a socket bound to `address`. Multicast and broadcast stay on
 * the local network, so they count as private; documentation and other public
 * ranges count as reachable from anywhere.
 */
export function classifyExposure(address: string): Exposure {
  const v4 = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address.includes(':') ? undefined : address;
  if (v4 !== undefined) {
    const o = v4.split('.').map(Number);
    if (o.length !== 4 || o.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return 'any';
    const [a, b] = o as [number, number, number, number];
    if (a === 127) return 'loopback';
    if (v4 === '0.0.0.0') return 'any';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    if (a === 100 && b >= 64 && b <= 127) return 'private';
    if (a === 169 && b === 254) return 'private';
    if (a >= 224) return 'private';
    return 'any';
  }
  const lower = address.toLowerCase();
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'any';
  const first = parseInt(lower.startsWith('::') ? '0' : lower.split(':')[0]!, 16);
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'private';
  if ((first & 0xff00) === 0xff00) return 'private';
  return 'any';
}
