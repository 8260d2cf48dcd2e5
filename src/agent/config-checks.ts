import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import { validate as validCron } from 'node-cron';

/**
 * Value checks for the agent config. Each check reports into a shared list instead
 * of throwing, so one run of `loadAgentConfig` can name every bad key at once.
 */

export class Problems {
  readonly lines: string[] = [];
  constructor(private readonly label: string) {}
  add(key: string, message: string): void {
    this.lines.push(`${this.label}: ${key}: ${message}`);
  }
}

/** Returns the checked value, or undefined after reporting why it was rejected. */
export type Check<T> = (value: unknown, key: string, problems: Problems) => T | undefined;

/** Checks for each key of a section; keys outside it are reported as unknown. */
export type Spec<T> = { [K in keyof T]-?: Check<NonNullable<T[K]>> };

export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str: Check<string> = (v, key, p) => {
  if (typeof v === 'string' && v.length > 0) return v;
  p.add(key, `expected a non-empty string, got ${show(v)}`);
  return undefined;
};

export const bool: Check<boolean> = (v, key, p) => {
  if (typeof v === 'boolean') return v;
  p.add(key, `expected true or false, got ${show(v)}`);
  return undefined;
};

export function int(min: number, max: number): Check<number> {
  return (v, key, p) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      p.add(key, `expected an integer, got ${show(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      p.add(key, `must be between ${min} and ${max}, got ${v}`);
      return undefined;
    }
    return v;
  };
}

export function oneOf<T extends string>(allowed: readonly T[]): Check<T> {
  return (v, key, p) => {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    p.add(key, `must be one of ${allowed.join(', ')}, got ${show(v)}`);
    return undefined;
  };
}

export const absolutePath: Check<string> = (v, key, p) => {
  const s = str(v, key, p);
  if (s === undefined) return undefined;
  if (!path.isAbsolute(s)) {
    p.add(key, `must be an absolute path, got ${show(s)}`);
    return undefined;
  }
  return path.normalize(s);
};

export const absolutePaths: Check<string[]> = (v, key, p) => {
  if (!Array.isArray(v)) {
    p.add(key, `expected a list of absolute paths, got ${show(v)}`);
    return undefined;
  }
  const before = p.lines.length;
  const out = v.map((item, i) => absolutePath(item, `${key}[${i}]`, p));
  return p.lines.length === before ? (out as string[]) : undefined;
};

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** `host:port`, with IPv6 literals in brackets as in URLs. */
export const hostPort: Check<string> = (v, key, p) => {
  const s = str(v, key, p);
  if (s === undefined) return undefined;
  const bad = (why: string) => {
    p.add(key, `expected host:port, ${why}, got ${show(s)}`);
    return undefined;
  };
  const bracketed = /^\[([^\]]+)\]:([^:]*)$/.exec(s);
  const colon = s.lastIndexOf(':');
  if (!bracketed && colon < 0) return bad('the port is missing');
  const host = bracketed ? bracketed[1]! : s.slice(0, colon);
  const port = bracketed ? bracketed[2]! : s.slice(colon + 1);
  if (bracketed ? !isIPv6(host) : host.includes(':')) return bad('IPv6 addresses go in brackets');
  if (!bracketed && !isIPv4(host) && (host.length > 253 || !host.split('.').every((l) => HOST_LABEL.test(l)))) {
    return bad('the host is not a valid name or address');
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return bad('the port must be 1-65535');
  return s;
};

/** SHA-256 of the server CA certificate, as hex with or without colons; kept lowercase without colons. */
export const fingerprint: Check<string> = (v, key, p) => {
  const s = str(v, key, p);
  if (s === undefined) return undefined;
  const hex = /^(?:[0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2}$/.test(s) ? s.replaceAll(':', '') : s;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    p.add(key, `expected a SHA-256 fingerprint (64 hex digits), got ${show(s)}`);
    return undefined;
  }
  return hex.toLowerCase();
};

export const cron: Check<string> = (v, key, p) => {
  const s = str(v, key, p);
  if (s === undefined) return undefined;
  if (!validCron(s)) {
    p.add(key, `${show(s)} is not a valid cron expression`);
    return undefined;
  }
  return s;
};

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known key a misspelt one was probably meant to be (case, `_`/`-` or a couple of typos). */
export function nearMiss(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = squash(key) === squash(name) ? 0 : editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= (name.length > 4 ? 2 : 1) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

export function unknownKey(key: string, known: readonly string[]): string {
  const guess = nearMiss(key.split('.').pop()!, known);
  return guess ? `unknown key (did you mean "${guess}"?)` : 'unknown key';
}

/** Checks a mapping against its spec; returns only the keys that passed. */
export function section<T>(spec: Spec<T>): Check<Partial<T>> {
  const known = Object.keys(spec);
  return (v, key, p) => {
    if (!isMapping(v)) {
      p.add(key || 'top level', `expected a mapping, got ${show(v)}`);
      return undefined;
    }
    const out: Partial<T> = {};
    for (const [name, value] of Object.entries(v)) {
      const at = key ? `${key}.${name}` : name;
      if (!Object.hasOwn(spec, name)) {
        p.add(at, unknownKey(name, known));
        continue;
      }
      const checked = (spec as Record<string, Check<unknown>>)[name]!(value, at, p);
      if (checked !== undefined) (out as Record<string, unknown>)[name] = checked;
    }
    return out;
  };
}
