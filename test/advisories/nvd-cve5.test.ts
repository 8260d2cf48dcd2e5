import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds, SOURCES } from '../../src/advisories/feeds.js';
import type { Advisory } from '../../src/advisories/model.js';
import { cve5Source } from '../../src/advisories/sources/cve5.js';
import { nvdSource } from '../../src/advisories/sources/nvd.js';
import { crc32 } from '../../src/common/zip.js';
import { vigil } from '../helpers/cli.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const FIX = path.join(REPO, 'test/fixtures/advisories');
const NVD_PAGE = path.join(FIX, 'nvd/nvd-api-page.json');
const NVD_ONE = path.join(FIX, 'nvd/CVE-2018-13410.json');
const CVE5 = path.join(FIX, 'cve5/cves');
const CVE5_ZIP_ONE = path.join(CVE5, '2018/13xxx/CVE-2018-13410.json');
const tmp = tempDir('vigil-nvd-');
/** The CVE Program's containers that NVD names by UUID, as Vigil names them. */
const NAMED: Record<string, string> = { '134c704f-9b21-4f2e-91b3-4a467353bcc0': 'CISA-ADP', 'af854a3a-2127-422b-91ae-364da2661108': 'CVE' };
afterAll(() => tmp.cleanup());

function byId(list: Advisory[], id: string): Advisory {
  const a = list.find((x) => x.id === id);
  if (!a) throw new Error(`${id} missing`);
  return a;
}

function cve5Files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A stored (uncompressed) zip, as `zip -0` writes it. */
function storedZip(entries: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('NVD CVE API 2.0', () => {
  it('reads every record of a real API page with CVSS by publisher, CWE, dates and state', async () => {
    const page = JSON.parse(readFileSync(NVD_PAGE, 'utf8')) as { vulnerabilities: Array<{ cve: Record<string, unknown> }> };
    const res = await nvdSource.read(NVD_PAGE);
    expect(res.advisories).toHaveLength(page.vulnerabilities.length);
    expect(res.advisories.length).toBeGreaterThanOrEqual(20);
    // Every published base score agrees with Vigil's score of its vector.
    expect(res.problems.filter((p) => /disagrees/.test(p.message))).toEqual([]);
    for (const a of res.advisories) {
      expect(a.source).toBe('nvd');
      expect(a.affected).toEqual([]);
      for (const c of a.cvss ?? []) expect(c.source).toBeTruthy();
    }
    const withCvss = res.advisories.filter((a) => a.cvss?.length);
    expect(withCvss.length).toBeGreaterThan(res.advisories.length / 2);
    // Each metric the page carries is kept with its publisher.
    const metrics = page.vulnerabilities.flatMap(({ cve }) =>
      Object.entries((cve.metrics ?? {}) as Record<string, Array<{ source: string; cvssData: { vectorString: string } }>>)
        .filter(([k]) => k.startsWith('cvssMetric'))
        .flatMap(([, list]) => list.map((m) => `${cve.id} ${NAMED[m.source] ?? m.source} ${m.cvssData.vectorString}`)),
    );
    const kept = res.advisories.flatMap((a) => (a.cvss ?? []).map((c) => `${a.id} ${c.source} ${c.vector}`));
    expect(new Set(kept)).toEqual(new Set(metrics));
  });

  it('reads CVE-2018-13410 exactly: disputed, NVD\'s v3.0 and v2 vectors, CWE-416', async () => {
    const res = await nvdSource.read(NVD_ONE);
    expect(res.problems).toEqual([]);
    const a = byId(res.advisories, 'CVE-2018-13410');
    expect(a).toMatchObject({
      id: 'CVE-2018-13410',
      source: 'nvd',
      aliases: [],
      affected: [],
      state: 'disputed',
      published: '2018-07-06T19:29:00.373Z',
      cwes: ['CWE-416'],
      cvss: [
        { version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, source: 'nvd@nist.gov' },
        { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5, source: 'nvd@nist.gov' },
      ],
    });
    expect(a.summary).toMatch(/^Info-ZIP Zip 3\.0, when the -T and -TT/);
  });

  it('reads the same records from a yearly feed file (gzip) and from a zip of it', async () => {
    const gz = path.join(tmp.dir, 'nvdcve-2.0-page.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(NVD_PAGE)));
    const zip = path.join(tmp.dir, 'nvdcve-2.0-page.json.zip');
    writeFileSync(zip, storedZip([['nvdcve-2.0-page.json', readFileSync(NVD_PAGE)]]));
    const plain = await nvdSource.read(NVD_PAGE);
    for (const f of [gz, zip]) {
      expect(SOURCES.find((s) => s.detect(f, readFileSync(f).subarray(0, 65536)))?.name).toBe('nvd');
      expect((await nvdSource.read(f)).advisories).toEqual(plain.advisories);
    }
  });

  it('names the file and the record of each bad one, reads the rest, and refuses a broken file whole', async () => {
    const page = JSON.parse(readFileSync(NVD_PAGE, 'utf8')) as { vulnerabilities: unknown[] };
    const bad = { ...page, vulnerabilities: [...page.vulnerabilities, { cve: { id: 'CVE-1' } }, 'x', { cve: { id: 'CVE-2020-0001', metrics: { cvssMetricV31: [{ source: 'nvd@nist.gov', cvssData: { vectorString: 'CVSS:3.1/AV:Q' } }] } } }] };
    const f = path.join(tmp.dir, 'bad-page.json');
    writeFileSync(f, JSON.stringify(bad));
    const res = await nvdSource.read(f);
    expect(res.advisories).toHaveLength(page.vulnerabilities.length + 1);
    const messages = res.problems.map((p) => `${path.basename(p.file)}: ${p.message}`);
    expect(messages).toContain(`bad-page.json: vulnerabilities[${page.vulnerabilities.length}]: id "CVE-1" is not a CVE id; skipped`);
    expect(messages).toContain(`bad-page.json: vulnerabilities[${page.vulnerabilities.length + 1}]: not an object with a "cve"; skipped`);
    expect(messages.some((m) => m.startsWith('bad-page.json: CVE-2020-0001: ') && /AV:Q|AV/.test(m))).toBe(true);

    const cut = path.join(tmp.dir, 'cut.json');
    writeFileSync(cut, readFileSync(NVD_PAGE).subarray(0, 3000));
    await expect(nvdSource.read(cut)).rejects.toThrow(/cut\.json: JSON ends early/);
    const other = path.join(tmp.dir, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 'NVD_CPE', vulnerabilities: [] }));
    await expect(nvdSource.read(other)).rejects.toThrow(/other\.json: format "NVD_CPE" is not NVD_CVE/);
  });
});

describe('CVE JSON 5', () => {
  it('reads the cvelistV5 tree: CNA and CISA-ADP CVSS with their publishers, CWE, state', async () => {
    const files = cve5Files(CVE5);
    expect(files.length).toBeGreaterThanOrEqual(20);
    const { feeds, problems } = await readFeeds([CVE5]);
    expect(problems.filter((p) => /disagrees/.test(p.message))).toEqual([]);
    // One feed for the whole tree, one advisory per file.
    expect(feeds.map((f) => f.name)).toEqual(['cve5:cves/']);
    expect(feeds[0]!.advisories).toHaveLength(files.length);
    for (const a of feeds[0]!.advisories) expect(a.affected).toEqual([]);
    const z = byId(feeds[0]!.advisories, 'CVE-2018-13410');
    expect(z).toMatchObject({ state: 'disputed', published: '2018-07-06T19:00:00Z', modified: '2018-07-06T19:57:02Z' });
    expect(z.summary).toMatch(/^Info-ZIP Zip 3\.0/);
    const sources = new Set(feeds[0]!.advisories.flatMap((a) => (a.cvss ?? []).map((c) => c.source)));
    expect(sources.size).toBeGreaterThan(1);
    for (const s of sources) expect(s).toBeTruthy();
  });

  it('reads a zip of the tree, and the release zip that wraps cves.zip, the same as the tree', async () => {
    const files = cve5Files(CVE5);
    const entries = files.map((f): [string, Buffer] => [path.relative(path.dirname(CVE5), f), readFileSync(f)]);
    const zip = path.join(tmp.dir, 'tree.zip');
    writeFileSync(zip, storedZip(entries));
    const release = path.join(tmp.dir, '2026-12-06_all_CVEs_at_midnight.zip.zip');
    writeFileSync(release, storedZip([['cves.zip', readFileSync(zip)]]));
    const tree = (await readFeeds([CVE5])).feeds[0]!.advisories;
    for (const f of [zip, release]) {
      expect(SOURCES.find((s) => s.detect(f, readFileSync(f).subarray(0, 65536)))?.name).toBe('cve5');
      expect((await cve5Source.read(f)).advisories).toEqual(tree);
    }
  });

  it('refuses a broken record file whole and names it; a bad record in a tree stops the import, naming file and record', async () => {
    const cut = path.join(tmp.dir, 'CVE-2018-13410.json');
    writeFileSync(cut, readFileSync(CVE5_ZIP_ONE).subarray(0, 1000));
    await expect(readFeeds([cut])).rejects.toThrow(/CVE-2018-13410\.json: JSON ends early/);
    const tree = path.join(tmp.dir, 'tree', 'cves');
    cpSync(CVE5, tree, { recursive: true });
    const victim = cve5Files(tree)[0]!;
    writeFileSync(victim, JSON.stringify({ dataType: 'CVE_RECORD', cveMetadata: { cveId: 'CVE-XX' }, containers: {} }));
    await expect(readFeeds([tree])).rejects.toThrow(`${victim}: not a readable CVE JSON 5 record: ${path.basename(victim)}: cveMetadata.cveId "CVE-XX" is not a CVE id; skipped`);
  });
});

describe('NVD and CVE 5 records through the CLI', () => {
  let server: http.Server;
  let base: string;
  const body = gzipSync(readFileSync(NVD_PAGE));
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/feeds/nvdcve-2.0-page.json.gz') res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('db update fetches NVD records from a mirror URL and db import reads a CVE 5 tree; a corrupt file changes nothing', async () => {
    const dir = path.join(tmp.dir, 'db');
    mkdirSync(dir);
    const config = path.join(tmp.dir, 'feeds.json');
    writeFileSync(config, JSON.stringify({ feeds: [{ name: 'nvd-page', url: `${base}/feeds/nvdcve-2.0-page.json.gz` }] }));
    const up = await vigil(['db', 'update', '--db', dir, '--config', config, '--json']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const imp = await vigil(['db', 'import', '--db', dir, CVE5, '--json']);
    expect(JSON.parse(imp.stdout)).toMatchObject({ feeds: 1 });
    const status = JSON.parse((await vigil(['db', 'status', '--db', dir, '--json'])).stdout) as { sources: Array<{ name: string; advisories: number }> };
    expect(status.sources.map((s) => s.name).sort()).toEqual(['cve5:cves/', 'nvd:nvd-page.json.gz']);
    const digest = () => createHash('sha256').update(readFileSync(path.join(dir, 'advisories.db'))).digest('hex');
    const before = digest();
    const cut = path.join(tmp.dir, 'nvdcve-2.0-cut.json');
    writeFileSync(cut, readFileSync(NVD_PAGE).subarray(0, 5000));
    const bad = await vigil(['db', 'import', '--db', dir, NVD_PAGE, cut]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/nvdcve-2\.0-cut\.json: JSON ends early/);
    expect(digest()).toBe(before);
  });
});
