import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import type { ExecutorResult } from '../../src/common/executor-protocol.js';
import {
  COMMAND_TYPE,
  canonicalBytes,
  generateSigningKeyPair,
  publicKeyPem,
  signCommand,
  signDelegation,
  signEnvelope,
  type CommandPayload,
  type DelegationPayload,
  type Envelope,
  type SigningKeyPair,
} from '../../src/common/signing.js';
import { parseExecutorConfig, type ExecutorConfig } from '../../src/executor/config.js';
import type { SpawnFn } from '../../src/executor/run.js';
import { startExecutor, type RunningExecutor } from '../../src/executor/server.js';

export const HOST = 'h-executor-test';
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const at = (ms: number): string => new Date(Date.now() + ms).toISOString();

/** One trust setup: an offline root key and an online key it delegates. */
export interface Keys {
  root: SigningKeyPair;
  online: SigningKeyPair;
  rootPem: string;
}

export function makeKeys(): Keys {
  const root = generateSigningKeyPair();
  return { root, online: generateSigningKeyPair(), rootPem: publicKeyPem(root.publicKey) };
}

export function delegationPayload(keys: Keys, over: Partial<DelegationPayload> = {}): DelegationPayload {
  return {
    version: 1,
    keys: [{ keyid: keys.online.keyid, publicKeyPem: publicKeyPem(keys.online.publicKey) }],
    actions: ['patch', 'rescan'],
    managers: ['apt'],
    notBefore: at(-HOUR),
    expiresAt: at(DAY),
    issuedAt: at(-HOUR),
    serial: 42,
    revokedKeys: [],
    ...over,
  };
}

export function delegation(keys: Keys, over: Partial<DelegationPayload> = {}, rootKey: KeyObject = keys.root.privateKey): Envelope {
  return signDelegation(delegationPayload(keys, over), rootKey);
}

let seq = 0;
export function commandPayload(over: Partial<CommandPayload> = {}): CommandPayload {
  seq += 1;
  return {
    version: 1,
    commandId: `c-${process.pid}-${seq}`,
    hostId: HOST,
    jobId: 'j-0001',
    issuedAt: at(-MIN),
    notBefore: at(-MIN),
    expiresAt: at(HOUR),
    action: 'patch',
    manager: 'apt',
    packages: [{ name: 'vigil-demo', version: '1.0-2' }],
    options: { reboot: 'never' },
    ...over,
  };
}

/** A signed command as the server makes one (signCommand refuses what any agent would). */
export function signed(keys: Keys, over: Partial<CommandPayload> = {}, opts: { delegation?: Envelope; key?: KeyObject } = {}): Buffer {
  return signCommand(commandPayload(over), opts.key ?? keys.online.privateKey, opts.delegation ?? delegation(keys), keys.rootPem);
}

/**
 * A signed command built by hand, without signCommand's checks: what a server
 * whose online key is stolen could send, with any payload at all.
 */
export function forged(keys: Keys, payload: unknown, opts: { delegation?: Envelope; key?: KeyObject; envelope?: (e: Envelope) => Envelope } = {}): Buffer {
  let envelope = signEnvelope(COMMAND_TYPE, canonicalBytes(payload), opts.key ?? keys.online.privateKey);
  if (opts.envelope) envelope = opts.envelope(envelope);
  return canonicalBytes({ delegation: opts.delegation ?? delegation(keys), envelope, rootPublicKeyPem: keys.rootPem });
}

export function config(keys: Keys, stateDir: string, over: Partial<ExecutorConfig> = {}): ExecutorConfig {
  return parseExecutorConfig({ hostId: HOST, rootKeyId: keys.root.keyid, manager: 'apt', root: '/', stateDir, ...over }, 'test config');
}

export function writeConfig(file: string, value: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  return file;
}

/** Log records of a pino logger, parsed, for checking what the executor logged. */
export function capturedLog(): { log: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void records.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, records };
}

export interface SpawnCall {
  argv: string[];
  options: SpawnOptions;
  startedAt: number;
  exitedAt?: number;
}

/**
 * A spawnFn that records each argv and its options, then runs `instead` (by
 * default `true`) with those same options, so the executor sees a real process.
 * `before` may change the root as the real manager would.
 */
export function recordingSpawn(opts: { instead?: string[]; before?: (argv: string[]) => void } = {}): { spawnFn: SpawnFn; calls: SpawnCall[] } {
  const calls: SpawnCall[] = [];
  const spawnFn: SpawnFn = (command, args, options) => {
    const call: SpawnCall = { argv: [command, ...args], options, startedAt: Date.now() };
    calls.push(call);
    opts.before?.(call.argv);
    const [cmd, ...rest] = opts.instead ?? ['true'];
    const child: ChildProcess = spawn(cmd!, rest, options);
    child.on('exit', () => {
      call.exitedAt = Date.now();
    });
    return child;
  };
  return { spawnFn, calls };
}

export async function startInProcess(cfg: ExecutorConfig, socketPath: string, extra: { spawnFn?: SpawnFn; log?: Logger; readTimeoutMs?: number } = {}): Promise<RunningExecutor> {
  return startExecutor({ config: cfg, listen: { path: socketPath }, ...extra });
}

/** Frame bytes for a request body. */
export function frame(body: Buffer | string): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(b.length);
  return Buffer.concat([head, b]);
}

/**
 * Talks to the socket as any local process could: writes `bytes` (ending its side
 * when `end`), then reads until the executor closes. Resolves with the reply
 * frame's result, or undefined when the executor closed without one.
 */
export function rawExchange(socketPath: string, bytes: Buffer, opts: { end?: boolean; timeoutMs?: number } = {}): Promise<ExecutorResult | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no reply in time'));
    }, opts.timeoutMs ?? 15_000);
    const done = () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      if (all.length < 4) return resolve(undefined);
      const n = all.readUInt32BE(0);
      resolve(all.length >= 4 + n ? (JSON.parse(all.subarray(4, 4 + n).toString('utf8')) as ExecutorResult) : undefined);
    };
    socket.on('connect', () => {
      if (bytes.length) socket.write(bytes);
      if (opts.end) socket.end();
    });
    socket.on('data', (b: Buffer) => chunks.push(b));
    // The executor may close with unread request bytes; whatever reply came first still counts.
    socket.on('error', () => done());
    socket.on('close', () => done());
  });
}

export const request = (signedCommand: Buffer): Buffer => frame(JSON.stringify({ signedCommand: signedCommand.toString('base64') }));

export const socketIn = (dir: string): string => path.join(dir, 'executor.sock');
