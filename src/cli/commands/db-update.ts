import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, displayUrl, download, formatBytes, urlProblem } from '../../advisories/download.js';
import { VigilError, describeError } from '../../common/errors.js';
import { SqliteAdvisoryStore } from '../../store/sqlite-advisories.js';
import { parse } from '../args.js';
import { dbFile, importInto, type ImportSummary } from '../advisory-db.js';
import { osvExports } from '../../ecosystems/index.js';
import { progressLine } from '../output.js';
import { commitTempFile, writeFileAtomic } from '../../common/atomic-write.js';

export const DB_UPDATE_USAGE = `usage: vigil db update [--db DIR] [--config FILE] [--feed NAME=URL]... [--json] [--quiet]

update  downloads the advisory feeds into DIR/downloads (conditional requests: an
        unchanged feed costs one 304 and is not re-imported), then imports the
        changed ones in one transaction. A failed download or a corrupt feed aborts
        the whole update and leaves the database as it was.
        --config FILE    feed list (default DIR/feeds.json when present, else the
                         built-in official feeds): {"feeds": [{"name", "url"}],
                         "maxBytes", "timeoutSeconds"}
        --feed NAME=URL  add a feed, or replace the URL of one with that name`;

export interface FeedSpec {
  name: string;
  url: string;
}

const OSV = 'https://osv-vulnerabilities.storage.googleapis.com';

/** The publishers' own download locations of every feed Vigil reads. */
export const DEFAULT_FEEDS: readonly FeedSpec[] = [
  { name: 'kev', url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json' },
  { name: 'epss', url: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz' },
  ...osvExports().map(({ feed, folder }) => ({ name: `osv-${feed}`, url: `${OSV}/${encodeURIComponent(folder)}/all.zip` })),
  { name: 'debian-tracker', url: 'https://security-tracker.debian.org/tracker/data/json' },
];

interface UpdateConfig {
  feeds: FeedSpec[];
  maxBytes: number;
  timeoutMs: number;
}

// The name becomes a file name in the downloads directory and part of the feed's name in the database.
const FEED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function nameProblem(name: string): string | undefined {
  return FEED_NAME.test(name) ? undefined : `feed names are 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (got ${JSON.stringify(name)})`;
}

/** Validate a feed-list document, reporting every bad key at once. */
export function parseConfig(doc: unknown, file: string): UpdateConfig {
  const bad: string[] = [];
  const cfg: UpdateConfig = { feeds: [], maxBytes: DEFAULT_MAX_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new VigilError('INVALID_INPUT', `${file}: must be a JSON object with a "feeds" array`);
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['feeds', 'maxBytes', 'timeoutSeconds'].includes(k)) bad.push(`${k}: unknown key (allowed: feeds, maxBytes, timeoutSeconds)`);
  if (o.maxBytes !== undefined) {
    if (typeof o.maxBytes === 'number' && Number.isSafeInteger(o.maxBytes) && o.maxBytes > 0) cfg.maxBytes = o.maxBytes;
    else bad.push(`maxBytes: must be a positive whole number of bytes (got ${JSON.stringify(o.maxBytes)})`);
  }
  if (o.timeoutSeconds !== undefined) {
    if (typeof o.timeoutSeconds === 'number' && Number.isFinite(o.timeoutSeconds) && o.timeoutSeconds > 0 && o.timeoutSeconds <= 86400) cfg.timeoutMs = Math.round(o.timeoutSeconds * 1000);
    else bad.push(`timeoutSeconds: must be a number of seconds above 0, at most 86400 (got ${JSON.stringify(o.timeoutSeconds)})`);
  }
  if (!Array.isArray(o.feeds)) {
    bad.push(`feeds: must be an array of {"name", "url"}${o.feeds === undefined ? ' (missing)' : ''}`);
  } else {
    const seen = new Set<string>();
    o.feeds.forEach((f: unknown, i) => {
      const at = `feeds[${i}]`;
      if (typeof f !== 'object' || f === null || Array.isArray(f)) {
        bad.push(`${at}: must be an object {"name", "url"}`);
        return;
      }
      const e = f as Record<string, unknown>;
      for (const k of Object.keys(e)) if (k !== 'name' && k !== 'url') bad.push(`${at}.${k}: unknown key (allowed: name, url)`);
      let ok = true;
      if (typeof e.name !== 'string') {
        bad.push(`${at}.name: must be a string`);
        ok = false;
      } else {
        const p = nameProblem(e.name) ?? (seen.has(e.name) ? `feed ${JSON.stringify(e.name)} is listed twice` : undefined);
        if (p) {
          bad.push(`${at}.name: ${p}`);
          ok = false;
        }
        seen.add(e.name);
      }
      const p = typeof e.url === 'string' ? urlProblem(e.url) : 'must be a string';
      if (p) {
        bad.push(`${at}.url: ${p}`);
        ok = false;
      }
      if (ok) cfg.feeds.push({ name: e.name as string, url: e.url as string });
    });
  }
  if (bad.length) throw new VigilError('INVALID_INPUT', `${file}: ${bad.join('; ')}`);
  return cfg;
}

async function loadConfig(explicit: string | undefined, dataDir: string): Promise<UpdateConfig> {
  const file = explicit ? path.resolve(explicit) : path.join(dataDir, 'feeds.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return { feeds: [...DEFAULT_FEEDS], maxBytes: DEFAULT_MAX_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS };
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigilError('NOT_FOUND', `no such feed config file: ${file}`);
    throw new VigilError('IO', `cannot read ${file}: ${describeError(err)}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new VigilError('INVALID_INPUT', `${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return parseConfig(doc, file);
}

function feedOption(arg: string): FeedSpec {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new VigilError('USAGE', `--feed takes NAME=URL (got ${JSON.stringify(arg)})`);
  const spec = { name: arg.slice(0, eq), url: arg.slice(eq + 1) };
  const p = nameProblem(spec.name) ?? urlProblem(spec.url);
  if (p) throw new VigilError('USAGE', `--feed ${spec.name}: ${p}`);
  return spec;
}

/**
 * Feed detection reads content, but an OSV zip is only taken for one when its name
 * says .zip, and gzip'd files read better with their suffix; so the download keeps
 * the URL's suffix.
 */
function fileName(feed: FeedSpec): string {
  const base = new URL(feed.url).pathname.split('/').pop() ?? '';
  const ext = /\.(?:(?:json|csv|txt|tar)\.gz|tgz|zip|json|csv|txt|tar|gz)$/i.exec(base)?.[0] ?? '';
  return feed.name.toLowerCase().endsWith(ext.toLowerCase()) ? feed.name : feed.name + ext;
}

/** Validators of the copy each feed was last imported from: only ever describes what the database holds. */
interface State {
  feeds: Record<string, { url: string; file: string; etag?: string; lastModified?: string; importedAt: string; checkedAt: string }>;
}

async function readState(file: string): Promise<State> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as State;
    if (doc && typeof doc.feeds === 'object' && doc.feeds !== null) return doc;
  } catch {
    // A lost or damaged state only costs one unconditional download of each feed.
  }
  return { feeds: {} };
}

interface Outcome {
  feed: FeedSpec;
  file: string;
  status: 'unchanged' | 'updated';
  bytes?: number;
  etag?: string;
  lastModified?: string;
  temp?: string;
}

export async function dbUpdateCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      db: { type: 'string' },
      config: { type: 'string' },
      feed: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
    0,
  );
  const quiet = values.quiet === true || values.json === true;
  const dbPath = dbFile(values.db);
  const dataDir = path.dirname(dbPath);
  const cfg = await loadConfig(values.config, dataDir);
  const feeds = [...cfg.feeds];
  for (const arg of values.feed ?? []) {
    const f = feedOption(arg);
    const i = feeds.findIndex((x) => x.name === f.name);
    if (i >= 0) feeds[i] = f;
    else feeds.push(f);
  }
  if (feeds.length === 0) throw new VigilError('INVALID_INPUT', 'no feeds to update: the feed list is empty');
  const taken = new Map<string, string>();
  for (const f of feeds) {
    const n = fileName(f);
    const other = taken.get(n.toLowerCase());
    if (other) throw new VigilError('INVALID_INPUT', `feeds ${other} and ${f.name} would both download to ${n}; rename one`);
    taken.set(n.toLowerCase(), f.name);
  }

  const dir = path.join(dataDir, 'downloads');
  const stateFile = path.join(dir, 'state.json');
  await mkdir(dir, { recursive: true });
  const state = await readState(stateFile);
  const store = new SqliteAdvisoryStore(dbPath);
  try {
    const inDb = new Set(store.sources().flatMap((s) => s.files));
    const progress = progressLine(!quiet && process.stderr.isTTY === true);
    const outcomes: Outcome[] = [];
    try {
      for (const feed of feeds) {
        const file = path.join(dir, fileName(feed));
        const prev = state.feeds[feed.name];
        // Ask "changed since?" only when the database really holds this URL's copy;
        // otherwise a 304 would leave a feed that was never imported.
        const current = prev !== undefined && prev.url === feed.url && existsSync(file) && inDb.has(file);
        const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.part`);
        let r;
        try {
          r = await download(feed.url, temp, {
            ...(current && prev.etag !== undefined ? { etag: prev.etag } : {}),
            ...(current && prev.lastModified !== undefined ? { lastModified: prev.lastModified } : {}),
            maxBytes: cfg.maxBytes,
            timeoutMs: cfg.timeoutMs,
            onProgress: (n, total) => progress.update(`downloading ${feed.name}`, total ? `${formatBytes(n)} / ${formatBytes(total)} (${Math.floor((n / total) * 100)}%)` : formatBytes(n)),
          });
        } catch (err) {
          throw new VigilError(err instanceof VigilError ? err.code : 'IO', `feed ${feed.name} (${displayUrl(feed.url)}): ${describeError(err)}`, { cause: err });
        }
        if (r.status === 'unchanged') outcomes.push({ feed, file, status: 'unchanged' });
        else
          outcomes.push({
            feed,
            file,
            status: 'updated',
            bytes: r.bytes,
            temp,
            ...(r.etag !== undefined ? { etag: r.etag } : {}),
            ...(r.lastModified !== undefined ? { lastModified: r.lastModified } : {}),
          });
      }
    } catch (err) {
      progress.done();
      await Promise.all(outcomes.map((o) => (o.temp ? unlink(o.temp).catch(() => {}) : undefined)));
      throw err;
    }
    progress.done();

    const changed = outcomes.filter((o) => o.status === 'updated');
    // Every feed has arrived whole: only now do the new copies replace the old ones.
    for (const o of changed) await commitTempFile(o.temp!, o.file);
    let summary: ImportSummary | undefined;
    if (changed.length > 0) {
      try {
        summary = await importInto(
          store,
          changed.map((o) => o.file),
          quiet,
          {
            origin: 'url',
            urlOf: (file) => {
              const o = changed.find((c) => path.resolve(c.file) === path.resolve(file));
              return o ? displayUrl(o.feed.url) : undefined;
            },
          },
        );
      } catch (err) {
        const msg = describeError(err);
        const o = changed.find((c) => msg.startsWith(`${c.file}: `));
        const detail = o ? `feed ${o.feed.name} (${displayUrl(o.feed.url)}): ${msg.slice(o.file.length + 2)}` : msg;
        throw new VigilError(err instanceof VigilError ? err.code : 'INVALID_INPUT', detail, { cause: err });
      }
    }

    // Written only after the import committed, so a failed run is retried in full next time.
    const now = new Date().toISOString();
    for (const o of outcomes) {
      const prev = state.feeds[o.feed.name];
      if (o.status === 'updated') {
        state.feeds[o.feed.name] = {
          url: o.feed.url,
          file: path.basename(o.file),
          ...(o.etag !== undefined ? { etag: o.etag } : {}),
          ...(o.lastModified !== undefined ? { lastModified: o.lastModified } : {}),
          importedAt: now,
          checkedAt: now,
        };
      } else if (prev) {
        prev.checkedAt = now;
      }
    }
    await writeFileAtomic(stateFile, JSON.stringify(state, null, 2) + '\n');

    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          database: store.file,
          feeds: outcomes.map((o) => ({ name: o.feed.name, url: displayUrl(o.feed.url), file: o.file, status: o.status, ...(o.bytes !== undefined ? { bytes: o.bytes } : {}) })),
          imported: summary ?? null,
        }) + '\n',
      );
    } else if (!quiet) {
      const lines = outcomes.map((o) => `vigil: ${o.feed.name}: ${o.status === 'unchanged' ? 'unchanged' : `downloaded ${formatBytes(o.bytes ?? 0)}`}`);
      lines.push(
        summary
          ? `vigil: imported ${summary.advisories} advisories from ${summary.feeds} feeds${summary.problems ? `, ${summary.problems} bad records skipped` : ''}`
          : 'vigil: every feed unchanged; nothing imported',
      );
      process.stderr.write(lines.join('\n') + '\n');
    }
    return 0;
  } finally {
    store.close();
  }
}
