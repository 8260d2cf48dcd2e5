import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import { MANAGERS, MAX_REVOKED_KEYS, isKeyId, type PackageManager } from '../common/signing.js';

/**
 * The executor's configuration: what it trusts and how it patches this host. It
 * lives in a root-owned file outside the agent's state directory, because the
 * unprivileged agent must not be able to change what the executor trusts.
 */
export const DEFAULT_EXECUTOR_CONFIG = '/etc/vigil/executor.json';
export const DEFAULT_STATE_DIR = '/var/lib/vigil-executor';
export const DEFAULT_TIMEOUT_SECONDS = 30 * 60;
const MAX_TIMEOUT_SECONDS = 24 * 60 * 60;
const MAX_CONFIG_BYTES = 64 * 1024;

export interface ExecutorConfig {
  /** This host's id, as the server names it in commands. */
  hostId: string;
  /** Fingerprint of the offline root key (keyId of its public key). */
  rootKeyId: string;
  /** The package manager this host uses; commands for any other are refused. */
  manager: PackageManager;
  /** Root of the package database and the manager's chroot when not `/`. */
  root: string;
  /** Root-owned directory of the ledger and the highest delegation serial. */
  stateDir: string;
  /** Online keys revoked here, on top of those the delegation revokes. */
  revokedKeys: string[];
  /** Limit on one package manager run, all of its steps together. */
  timeoutSeconds: number;
}

// Same grammar as command host ids (src/common/signing.ts).
const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const FIELDS = ['hostId', 'rootKeyId', 'manager', 'root', 'stateDir', 'revokedKeys', 'timeoutSeconds'];

function bad(file: string, field: string, problem: string): never {
  throw new VigilError('INVALID_INPUT', `${file}: ${field} ${problem}`);
}

function absolutePath(file: string, field: string, v: unknown, fallback: string): string {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !path.isAbsolute(v) || v.includes('\0') || path.resolve(v) !== v)
    return bad(file, field, `must be an absolute, normalised path (got ${JSON.stringify(v)})`);
  return v;
}

/** The config from its parsed JSON, every field checked; `file` only names it in errors. */
export function parseExecutorConfig(value: unknown, file: string): ExecutorConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VigilError('INVALID_INPUT', `${file}: not a JSON object`);
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) bad(file, JSON.stringify(unknown), `is not a field; known fields: ${FIELDS.join(', ')}`);

  if (typeof o.hostId !== 'string' || !HOST_ID.test(o.hostId)) bad(file, 'hostId', `must be a host id like the server issues (got ${JSON.stringify(o.hostId)})`);
  if (typeof o.rootKeyId !== 'string' || !isKeyId(o.rootKeyId)) bad(file, 'rootKeyId', `must be 64 lowercase hex digits (got ${JSON.stringify(o.rootKeyId)})`);
  if (typeof o.manager !== 'string' || !(MANAGERS as readonly string[]).includes(o.manager))
    bad(file, 'manager', `must be one of ${MANAGERS.join(', ')} (got ${JSON.stringify(o.manager)})`);
  const root = absolutePath(file, 'root', o.root, '/');
  const stateDir = absolutePath(file, 'stateDir', o.stateDir, DEFAULT_STATE_DIR);

  let revokedKeys: string[] = [];
  if (o.revokedKeys !== undefined) {
    if (!Array.isArray(o.revokedKeys)) bad(file, 'revokedKeys', 'must be a list of key ids');
    if (o.revokedKeys.length > MAX_REVOKED_KEYS) bad(file, 'revokedKeys', `has more than ${MAX_REVOKED_KEYS} entries`);
    revokedKeys = o.revokedKeys.map((k, i) => (typeof k === 'string' && isKeyId(k) ? k : bad(file, `revokedKeys[${i}]`, `must be 64 lowercase hex digits (got ${JSON.stringify(k)})`)));
  }

  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  if (o.timeoutSeconds !== undefined) {
    if (!Number.isSafeInteger(o.timeoutSeconds) || (o.timeoutSeconds as number) < 1 || (o.timeoutSeconds as number) > MAX_TIMEOUT_SECONDS)
      bad(file, 'timeoutSeconds', `must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS} (got ${JSON.stringify(o.timeoutSeconds)})`);
    timeoutSeconds = o.timeoutSeconds as number;
  }
  return { hostId: o.hostId as string, rootKeyId: o.rootKeyId as string, manager: o.manager as PackageManager, root, stateDir, revokedKeys, timeoutSeconds };
}

/**
 * Refuses a file or directory that someone other than this process's user could
 * have written: the executor's trust must not be editable by a less privileged one.
 */
export function checkOwnedByUs(p: string, what: string): void {
  const st = statSync(p);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new VigilError('INVALID_INPUT', `${what} ${p} is owned by uid ${st.uid}, not by the executor's uid ${uid}`);
  if ((st.mode & 0o022) !== 0) throw new VigilError('INVALID_INPUT', `${what} ${p} is writable by group or others (mode ${(st.mode & 0o777).toString(8)})`);
}

export function loadExecutorConfig(file: string): ExecutorConfig {
  let text: string;
  try {
    checkOwnedByUs(file, 'config file');
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof VigilError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot read executor config ${file}: ${code ?? (err as Error).message}`, { cause: err });
  }
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new VigilError('INVALID_INPUT', `${file}: larger than ${MAX_CONFIG_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', `${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseExecutorConfig(value, file);
}
