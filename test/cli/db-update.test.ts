import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers/fixtures.js';
import { vigil } from '../helpers/cli.js';

const FEEDS = path.join(REPO, 'data/feeds');
const KEV = path.join(FEEDS, 'kev/known_exploited_vulnerabilities.json');
const DEBIAN12 = path.join(FEEDS, 'debian12-archive/debian12.osv.json.gz');
const GHSA_DIR = path.join(FEEDS, 'osv-ecosystems/ghsa-npm');

interface Status {
  database: string;
  sources: Array<{ name: string; files: string[]; importedAt: string; advisories: number; kev: number; epss: number }>;
}

/** A feed file the test server publishes with validators, as a CDN or S3 bucket would. */
interface Published {
  body: Buffer;
  etag: string;
  lastModified: string;
}

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

const published = new Map<string, Published>();
let seen: Seen[] = [];
let server: http.Server;
let base: string;
let tmp: { dir: string; cleanup: () => void };
let db: string;
let downloads: string;
let goodConfig: string;
let kevBody: Buffer;
let lastModifiedClock = Date.UTC(2025, 7, 25, 17, 0, 0);

function publish(urlPath: string, body: Buffer): Published {
  lastModifiedClock += 3600_000;
  const p = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`, lastModified: new Date(lastModifiedClock).toUTCString() };
  published.set(urlPath, p);
  return p;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const urlPath = req.url ?? '/';
  const record = (status: number) => seen.push({ path: urlPath, headers: req.headers, status });
  switch (urlPath) {
    case '/broken':
      record(500);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      return;
    case '/truncated.json': {
      // Promises the whole KEV catalog, sends 5000 bytes of it, then drops the connection.
      record(200);
      res.writeHead(200, { 'content-length': String(kevBody.length), etag: '"t"' });
      res.write(kevBody.subarray(0, 5000), () => res.socket?.destroy());
      return;
    }
    case '/loop':
      record(302);
      res.writeHead(302, { location: '/loop' }).end();
      return;
    case '/moved-kev.json':
      record(301);
      res.writeHead(301, { location: `${base}/kev.json` }).end();
      return;
    case '/silent':
      // Never answers: the client's timeout has to end the request.
      record(0);
      return;
  }
  const p = published.get(urlPath);
  if (!p) {
    record(404);
    res.writeHead(404).end();
    return;
  }
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const fresh = inm !== undefined ? inm === p.etag : ims !== undefined && Date.parse(ims) >= Date.parse(p.lastModified);
  if (fresh) {
    record(304);
    res.writeHead(304, { etag: p.etag, 'last-modified': p.lastModified }).end();
    return;
  }
  record(200);
  res.writeHead(200, { 'content-length': String(p.body.length), etag: p.etag, 'last-modified': p.lastModified, 'content-type': 'application/octet-stream' });
  res.end(p.body);
}

function writeConfig(name: string, extra: Array<{ name: string; url: string }>, opts: Record<string, unknown> = {}): string {
  const file = path.join(tmp.dir, name);
  const feeds = [
    { name: 'kev', url: `${base}/kev.json` },
    { name: 'debian12', url: `${base}/debian12.osv.json.gz` },
    { name: 'ghsa', url: `${base}/ghsa-npm.zip` },
    ...extra,
  ];
  writeFileSync(file, JSON.stringify({ feeds, ...opts }));
  return file;
}

async function status(): Promise<string> {
  const r = await vigil(['db', 'status', '--json', '--db', db]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

function update(config: string, ...more: string[]) {
  return vigil(['db', 'update', '--db', db, '--config', config, ...more], { env: { VIGIL_DATA_DIR: path.join(tmp.dir, 'unused-data-dir') } });
}

function state(): string {
  return readFileSync(path.join(downloads, 'state.json'), 'utf8');
}

beforeAll(async () => {
  tmp = tempDir('vigil-db-update-');
  db = path.join(tmp.dir, 'db');
  downloads = path.join(db, 'downloads');
  kevBody = readFileSync(KEV);
  const zip = path.join(tmp.dir, 'ghsa-npm.zip');
  const records = readdirSync(GHSA_DIR).sort().map((f) => path.join(GHSA_DIR, f));
  execFileSync('python3', ['-m', 'zipfile', '-c', zip, ...records]);
  publish('/kev.json', kevBody);
  publish('/debian12.osv.json.gz', readFileSync(DEBIAN12));
  publish('/ghsa-npm.zip', readFileSync(zip));
  // Whole gzip header and first blocks, then garbage: detection sees OSV, the full read fails.
  const gz = Buffer.from(readFileSync(DEBIAN12));
  gz.fill(0x55, gz.length >> 1, (gz.length >> 1) + 4096);
  publish('/corrupt.osv.json.gz', gz);
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  goodConfig = writeConfig('feeds.json', []);
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  tmp?.cleanup();
});

describe('vigil db update', () => {
  let first: Status;

  it('downloads every feed on the first run and imports them in one go', async () => {
    seen = [];
    const r = await update(goodConfig);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^vigil: kev: downloaded .+\nvigil: debian12: downloaded .+\nvigil: ghsa: downloaded .+\nvigil: imported 9976 advisories from 3 feeds\n$/);
    expect(seen.map((s) => [s.path, s.status])).toEqual([
      ['/kev.json', 200],
      ['/debian12.osv.json.gz', 200],
      ['/ghsa-npm.zip', 200],
    ]);
    for (const s of seen) expect(s.headers['if-none-match'] ?? s.headers['if-modified-since']).toBeUndefined();
    first = JSON.parse(await status()) as Status;
    expect(first.sources.map(({ name, files, advisories, kev }) => ({ name, files, advisories, kev }))).toEqual([
      { name: 'kev:kev.json', files: [path.join(downloads, 'kev.json')], advisories: 0, kev: 1404 },
      { name: 'osv:debian12.json.gz', files: [path.join(downloads, 'debian12.json.gz')], advisories: 9972, kev: 0 },
      { name: 'osv:ghsa.zip', files: [path.join(downloads, 'ghsa.zip')], advisories: 4, kev: 0 },
    ]);
    expect(readFileSync(path.join(downloads, 'kev.json')).equals(kevBody)).toBe(true);
    const st = JSON.parse(state()) as { feeds: Record<string, { etag: string; lastModified: string }> };
    expect(st.feeds.kev).toMatchObject({ etag: published.get('/kev.json')!.etag, lastModified: published.get('/kev.json')!.lastModified });
  });

  it('asks with the stored validators next time, and a 304 re-imports nothing', async () => {
    const before = await status();
    seen = [];
    const r = await update(goodConfig);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('vigil: kev: unchanged\nvigil: debian12: unchanged\nvigil: ghsa: unchanged\nvigil: every feed unchanged; nothing imported\n');
    expect(seen.map((s) => s.status)).toEqual([304, 304, 304]);
    for (const s of seen) {
      const p = published.get(s.path)!;
      expect(s.headers['if-none-match']).toBe(p.etag);
      expect(s.headers['if-modified-since']).toBe(p.lastModified);
    }
    expect(await status()).toBe(before);
  });

  it('re-imports only the feed whose file changed', async () => {
    const doc = JSON.parse(kevBody.toString('utf8')) as { count: number; vulnerabilities: unknown[] };
    doc.vulnerabilities.pop();
    doc.count = doc.vulnerabilities.length;
    kevBody = Buffer.from(JSON.stringify(doc));
    publish('/kev.json', kevBody);
    seen = [];
    const r = await update(goodConfig, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { feeds: Array<{ name: string; status: string }>; imported: { feeds: number } };
    expect(out.feeds.map((f) => [f.name, f.status])).toEqual([
      ['kev', 'updated'],
      ['debian12', 'unchanged'],
      ['ghsa', 'unchanged'],
    ]);
    expect(out.imported.feeds).toBe(1);
    expect(seen.map((s) => s.status)).toEqual([200, 304, 304]);
    const now = JSON.parse(await status()) as Status;
    expect(now.sources[0]!.kev).toBe(1403);
    expect(now.sources[0]!.importedAt).not.toBe(first.sources[0]!.importedAt);
    expect(now.sources.slice(1)).toEqual(first.sources.slice(1));
  });

  const failures: Array<[string, string, RegExp, Record<string, unknown>?]> = [
    ['a server error', '/broken', /: HTTP 500 Internal Server Error$/],
    ['a body cut short by a closed connection', '/truncated.json', /: the connection closed after 5000 of \d+ bytes \(.+\)$/],
    ['a corrupt gzip', '/corrupt.osv.json.gz', /: gzip data is corrupt \(.+\)$/],
    ['a redirect loop', '/loop', /: more than 5 redirects$/],
    ['a file over the size cap', '/debian12.osv.json.gz?again', /: the response is .+, over the 1000 B limit$/, { maxBytes: 1000 }],
    ['a server that never answers', '/silent', /: no data from the server for 1s$/, { timeoutSeconds: 1 }],
  ];
  it.each(failures)('fails on %s with one line naming the feed, and leaves the database and state as they were', async (_, urlPath, fault, opts) => {
    published.set('/debian12.osv.json.gz?again', published.get('/debian12.osv.json.gz')!);
    const config = writeConfig(`bad-${urlPath.replace(/\W/g, '')}.json`, [{ name: 'bad', url: `${base}${urlPath}` }], opts);
    const before = await status();
    const stateBefore = state();
    const r = await update(config);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`vigil: feed bad (${base}${urlPath}): `)).toBe(true);
    expect(lines[0]).toMatch(fault);
    expect(await status()).toBe(before);
    expect(state()).toBe(stateBefore);
    expect(readdirSync(downloads).filter((f) => f.endsWith('.part'))).toEqual([]);
  }, 30_000);

  it('does not mark a feed downloaded in a failed run as current, so the next run fetches it again', async () => {
    const zip = Buffer.from(published.get('/ghsa-npm.zip')!.body);
    const oldEtag = published.get('/ghsa-npm.zip')!.etag;
    // Same records, different bytes: a zip comment changes the file but not its content.
    const changed = Buffer.concat([zip.subarray(0, zip.length - 2), Buffer.from([4, 0]), Buffer.from('v2!!')]);
    const p = publish('/ghsa-npm.zip', changed);
    const before = await status();
    const stateBefore = state();
    seen = [];
    const bad = await update(writeConfig('bad-after-change.json', [{ name: 'bad', url: `${base}/broken` }]));
    expect(bad.code).not.toBe(0);
    expect(seen.find((s) => s.path === '/ghsa-npm.zip')!.status).toBe(200);
    expect(await status()).toBe(before);
    expect(state()).toBe(stateBefore);

    seen = [];
    const good = await update(goodConfig);
    expect(good.code).toBe(0);
    const ghsa = seen.find((s) => s.path === '/ghsa-npm.zip')!;
    expect(ghsa.headers['if-none-match']).toBe(oldEtag);
    expect(ghsa.status).toBe(200);
    expect(good.stderr).toContain('vigil: ghsa: downloaded');
    expect(JSON.parse(state()).feeds.ghsa.etag).toBe(p.etag);
    const now = JSON.parse(await status()) as Status;
    expect(now.sources[2]!.advisories).toBe(4);
    expect(now.sources[2]!.importedAt).not.toBe((JSON.parse(before) as Status).sources[2]!.importedAt);
  });

  it('reports every bad key of a feed config at once, before contacting anything', async () => {
    const file = path.join(tmp.dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ feeds: [{ name: 'bad name', url: 'file:///etc/passwd', mirror: true }, { name: 'kev' }], maxBytes: -1, proxy: 'x' }));
    seen = [];
    const r = await update(file);
    expect(r.code).toBe(4);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    for (const key of ['proxy: unknown key', 'maxBytes: must be', 'feeds[0].mirror: unknown key', 'feeds[0].name: feed names', 'feeds[0].url: only http and https', 'feeds[1].url: must be a string']) {
      expect(lines[0]).toContain(key);
    }
    expect(seen).toEqual([]);
  });

  it('refuses a --feed that is not http or https', async () => {
    const r = await update(goodConfig, '--feed', 'local=file:///etc/passwd');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('vigil: --feed local: only http and https URLs are allowed (got "file:")\n');
  });

  it('takes --feed NAME=URL on top of the config file, following a redirect', async () => {
    const before = JSON.parse(await status()) as Status;
    seen = [];
    const r = await update(goodConfig, '--feed', `kev2=${base}/moved-kev.json`, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { feeds: Array<{ name: string; status: string }> }).feeds.map((f) => [f.name, f.status])).toEqual([
      ['kev', 'unchanged'],
      ['debian12', 'unchanged'],
      ['ghsa', 'unchanged'],
      ['kev2', 'updated'],
    ]);
    const now = JSON.parse(await status()) as Status;
    expect(now.sources.map((s) => s.name)).toEqual(['kev:kev.json', 'kev:kev2.json', 'osv:debian12.json.gz', 'osv:ghsa.zip']);
    expect(now.sources.filter((s) => s.name !== 'kev:kev2.json')).toEqual(before.sources);
    expect(seen.slice(3).map((s) => [s.path, s.status])).toEqual([
      ['/moved-kev.json', 301],
      ['/kev.json', 200],
    ]);
    expect(readFileSync(path.join(downloads, 'kev2.json')).equals(kevBody)).toBe(true);
  });
});
