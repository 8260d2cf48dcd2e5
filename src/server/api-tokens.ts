import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import { withFileLock } from '../common/file-lock.js';
import { writeSecretFile } from '../common/secret-files.js';
import { normaliseTags } from './fleet-types.js';

/**
 * API tokens with roles. `viewer` reads; `operator` also rescans, suppresses and runs
 * patch jobs; `admin` also manages tokens, enrolment, revocation and deletion. Only a
 * SHA-256 of each token is stored (api-tokens.json, 0600); the token is shown once,
 * when it is created. A token reads `vigil_at_<id>_<secret>`: the id names it in
 * listings and the audit log without revealing it. The data directory's `api.token`
 * stays the bootstrap admin credential of whoever can read that file. An operator token
 * may carry a scope of host tags: it then rescans, patches and suppresses only on hosts
 * with one of those tags (see api/scope.ts); it reads like any viewer.
 */

export const API_TOKENS_FILE = 'api-tokens.json';
export const API_TOKEN_PREFIX = 'vigil_at_';
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  expiresAt?: string;
  revokedAt?: string;
  /** Host tags (key=value) an operator token acts on; absent: every host. */
  tags?: string[];
}

interface StoredApiToken extends ApiTokenInfo {
  sha256: string;
}

interface ApiTokenFile {
  version: 1;
  tokens: StoredApiToken[];
}

/** Who made a request: the token's id, name and role. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** The token's scope: its actions touch only hosts with one of these tags. */
  tags?: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/;

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export class ApiTokenStore {
  readonly file: string;
  private cache?: { mtimeMs: number; size: number; doc: ApiTokenFile };

  constructor(dir: string) {
    this.file = path.join(dir, API_TOKENS_FILE);
  }

  private read(): ApiTokenFile {
    let st;
    try {
      st = statSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tokens: [] };
      throw new VigilError('IO', `cannot read ${this.file}`, { cause: err });
    }
    if (this.cache && this.cache.mtimeMs === st.mtimeMs && this.cache.size === st.size) return this.cache.doc;
    let doc: ApiTokenFile;
    try {
      doc = JSON.parse(readFileSync(this.file, 'utf8')) as ApiTokenFile;
    } catch (err) {
      throw new VigilError('INVALID_INPUT', `${this.file} is not a Vigil API token file`, { cause: err });
    }
    if (doc.version !== 1 || !Array.isArray(doc.tokens) || !doc.tokens.every((t) => typeof t.id === 'string' && typeof t.sha256 === 'string' && isRole(t.role))) {
      throw new VigilError('INVALID_INPUT', `${this.file} is not a Vigil API token file (version 1 with id, sha256 and role per token)`);
    }
    this.cache = { mtimeMs: st.mtimeMs, size: st.size, doc };
    return doc;
  }

  private update<T>(fn: (doc: ApiTokenFile) => T): T {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    return withFileLock(this.file, () => {
      this.cache = undefined;
      const doc = this.read();
      const out = fn(doc);
      writeSecretFile(this.file, JSON.stringify(doc, null, 2) + '\n');
      this.cache = undefined;
      return out;
    });
  }

  create(opts: { name: string; role: Role; createdBy: string; ttlSeconds?: number; tags?: string[]; now?: Date }): ApiTokenInfo & { token: string } {
    if (!NAME.test(opts.name)) throw new VigilError('INVALID_INPUT', `token name ${JSON.stringify(opts.name.slice(0, 80))} must be 1-64 letters, digits, space or ._@- and start with a letter or digit`);
    if (!isRole(opts.role)) throw new VigilError('INVALID_INPUT', `role ${JSON.stringify(opts.role)} is not one of ${ROLES.join(', ')}`);
    if (opts.ttlSeconds !== undefined && (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds <= 0)) throw new VigilError('INVALID_INPUT', 'token lifetime must be a positive number of seconds');
    if (opts.tags !== undefined) {
      if (opts.role !== 'operator') throw new VigilError('INVALID_INPUT', `only an operator token takes a host tag scope (this one is ${opts.role}): a viewer acts on nothing, an admin on everything`);
      if (opts.tags.length === 0) throw new VigilError('INVALID_INPUT', 'a tag scope names at least one tag');
      const bad = opts.tags.find((t) => t.length > 256 || normaliseTags([t]).length === 0);
      if (bad !== undefined) throw new VigilError('INVALID_INPUT', `scope tag ${JSON.stringify(bad.slice(0, 80))} must be key=value, at most 256 characters`);
    }
    const now = opts.now ?? new Date();
    const id = randomBytes(6).toString('hex');
    const token = `${API_TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    const info: ApiTokenInfo = { id, name: opts.name, role: opts.role, createdAt: now.toISOString(), createdBy: opts.createdBy };
    if (opts.tags !== undefined) info.tags = normaliseTags(opts.tags);
    if (opts.ttlSeconds !== undefined) info.expiresAt = new Date(now.getTime() + opts.ttlSeconds * 1000).toISOString();
    this.update((doc) => {
      if (doc.tokens.some((t) => t.name === opts.name && !t.revokedAt)) throw new VigilError('CONFLICT', `an API token named ${JSON.stringify(opts.name)} exists; revoke it first or pick another name`);
      doc.tokens.push({ ...info, sha256: sha256(token).toString('hex') });
    });
    return { ...info, token };
  }

  list(): ApiTokenInfo[] {
    return this.read().tokens.map(({ sha256: _, ...info }) => info);
  }

  revoke(id: string, now = new Date()): ApiTokenInfo {
    return this.update((doc) => {
      const t = doc.tokens.find((x) => x.id === id);
      if (!t) throw new VigilError('NOT_FOUND', `no API token ${JSON.stringify(id.slice(0, 32))}`);
      t.revokedAt ??= now.toISOString();
      const { sha256: _, ...info } = t;
      return info;
    });
  }

  /** The token with this id while it is neither revoked nor expired: a session's token, checked on each of its requests. */
  active(id: string, now = new Date()): ApiTokenInfo | undefined {
    const t = this.read().tokens.find((x) => x.id === id);
    if (!t || t.revokedAt || (t.expiresAt && Date.parse(t.expiresAt) <= now.getTime())) return undefined;
    const { sha256: _, ...info } = t;
    return info;
  }

  /** The principal a presented token stands for, or undefined when it is unknown, revoked or expired. */
  authenticate(token: string, now = new Date()): Principal | undefined {
    const m = /^vigil_at_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(token);
    if (!m) return undefined;
    const t = this.read().tokens.find((x) => x.id === m[1]);
    if (!t) return undefined;
    const want = Buffer.from(t.sha256, 'hex');
    const got = sha256(token);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    if (t.revokedAt || (t.expiresAt && Date.parse(t.expiresAt) <= now.getTime())) return undefined;
    return t.tags ? { tokenId: t.id, name: t.name, role: t.role, tags: t.tags } : { tokenId: t.id, name: t.name, role: t.role };
  }
}
