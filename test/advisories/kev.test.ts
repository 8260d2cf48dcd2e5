import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { isIsoDate, kevSource } from '../../src/advisories/sources/kev.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const DIR = path.join(REPO, 'data/feeds/kev');
const CATALOG = path.join(DIR, 'known_exploited_vulnerabilities.json');
const SCHEMA = path.join(DIR, 'known_exploited_vulnerabilities_schema.json');

interface RawKev {
  count: number;
  vulnerabilities: Array<Record<string, string>>;
}
const raw = JSON.parse(readFileSync(CATALOG, 'utf8')) as RawKev;

// ajv-formats is CommonJS: depending on the loader its plugin is `default` or `default.default`.
const mod = ajvFormats as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } };
const addFormats: FormatsPlugin = mod.default.default ?? mod.default;

const tmp = tempDir('vigil-kev-');
afterAll(tmp.cleanup);
let n = 0;
function file(content: string | Buffer): string {
  const p = path.join(tmp.dir, `kev-${n++}.json`);
  writeFileSync(p, content);
  return p;
}

describe('the bundled KEV catalog', async () => {
  const res = await kevSource.read(CATALOG);

  it('is valid against CISA’s schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
    expect(validate(raw), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('gives all 1,404 entries, with no problem', () => {
    expect(raw.count).toBe(1404);
    expect(res.kev?.length).toBe(1404);
    expect(res.advisories).toEqual([]);
    expect(res.problems).toEqual([]);
  });

  it('keeps every entry’s fields as CISA published them, whitespace trimmed', () => {
    const clean = (s: string | undefined) => s!.replace(/\s+/g, ' ').trim();
    expect(res.kev).toEqual(
      raw.vulnerabilities.map((v) => ({
        cve: v.cveID,
        vendorProject: clean(v.vendorProject),
        product: clean(v.product),
        name: clean(v.vulnerabilityName),
        dateAdded: v.dateAdded,
        dueDate: v.dueDate,
        knownRansomwareCampaignUse: v.knownRansomwareCampaignUse,
        requiredAction: clean(v.requiredAction),
      })),
    );
    expect(res.kev?.find((e) => e.cve === 'CVE-2025-54309')?.name).toBe('CrushFTP Unprotected Alternate Channel Vulnerability');
  });

  it('has valid CVE ids and calendar dates', () => {
    for (const e of res.kev!) {
      expect(e.cve).toMatch(/^CVE-\d{4}-\d{4,}$/);
      expect(isIsoDate(e.dateAdded) && isIsoDate(e.dueDate)).toBe(true);
      expect(['Known', 'Unknown']).toContain(e.knownRansomwareCampaignUse);
    }
    // Due before being added: only entries of the catalog's first day, carried over from earlier directives.
    const early = res.kev!.filter((e) => e.dueDate < e.dateAdded);
    expect(early.length).toBe(15);
    expect(new Set(early.map((e) => e.dateAdded))).toEqual(new Set(['2021-11-03']));
  });

  it('reads log4shell exactly', () => {
    expect(res.kev?.find((e) => e.cve === 'CVE-2021-44228')).toEqual({
      cve: 'CVE-2021-44228',
      vendorProject: 'Apache',
      product: 'Log4j2',
      name: 'Apache Log4j2 Remote Code Execution Vulnerability',
      dateAdded: '2021-12-10',
      dueDate: '2021-12-24',
      knownRansomwareCampaignUse: 'Known',
      requiredAction:
        'For all affected software assets for which updates exist, the only acceptable remediation actions are: 1) Apply updates; OR 2) remove affected assets from agency networks. Temporary mitigations using one of the measures provided at https://www.cisa.gov/uscert/ed-22-02-apache-log4j-recommended-mitigation-measures are only acceptable until updates are available.',
    });
  });
});

const entry = (over: Record<string, unknown>) => ({ ...raw.vulnerabilities[0], ...over });
const catalog = (vulns: unknown[], count = vulns.length) => JSON.stringify({ title: 't', catalogVersion: '2025.08.25', dateReleased: '2025-08-25T17:04:19.9796Z', count, vulnerabilities: vulns });

describe('malformed KEV catalogs', () => {
  const entries: Array<[string, unknown, RegExp]> = [
    ['a lower-case CVE id', entry({ cveID: 'cve-2021-44228' }), /vulnerabilities\[1\]: cveID "cve-2021-44228" is not a CVE id; skipped/],
    ['a CVE id with a shell command', entry({ cveID: 'CVE-2021-44228;reboot' }), /cveID "CVE-2021-44228;reboot" is not a CVE id/],
    ['a missing CVE id', entry({ cveID: undefined }), /cveID "undefined" is not a CVE id/],
    ['a date that does not exist', entry({ cveID: 'CVE-2020-0001', dateAdded: '2025-02-30' }), /CVE-2020-0001: dateAdded "2025-02-30" is not a date YYYY-MM-DD; skipped/],
    ['a date in another format', entry({ cveID: 'CVE-2020-0001', dueDate: '09/15/2025' }), /dueDate "09\/15\/2025" is not a date/],
    ['a missing field', entry({ cveID: 'CVE-2020-0001', product: undefined }), /CVE-2020-0001: product is missing; skipped/],
    ['a field that is not text', entry({ cveID: 'CVE-2020-0001', vendorProject: { a: 1 } }), /vendorProject "\[object Object\]" is not text/],
    ['an entry that is not an object', 'CVE-2020-0001', /vulnerabilities\[1\]: not a JSON object; skipped/],
    ['a repeated CVE', entry({}), /CVE-2025-48384: listed again at vulnerabilities\[1\]; the first entry is kept/],
  ];
  it.each(entries)('reports %s and reads the rest', async (_, bad, message) => {
    const res = await kevSource.read(file(catalog([raw.vulnerabilities[0], bad])));
    expect(res.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
    expect(res.kev?.map((e) => e.cve)).toEqual(['CVE-2025-48384']);
  });

  it('cleans control characters and a 1 MB description out of what it keeps', async () => {
    const res = await kevSource.read(file(catalog([entry({ vendorProject: 'Evil\u001b[2J\u0007Corp', shortDescription: 'x'.repeat(1 << 20), requiredAction: 'y'.repeat(1 << 20) })])));
    expect(res.problems).toEqual([]);
    expect(res.kev?.[0]?.vendorProject).toBe('Evil [2J Corp');
    expect(res.kev?.[0]?.requiredAction.length).toBeLessThanOrEqual(1000);
  });

  it('defaults knownRansomwareCampaignUse, which catalogs before October 2023 lack', async () => {
    const res = await kevSource.read(file(catalog([entry({ knownRansomwareCampaignUse: undefined })])));
    expect(res.kev?.[0]?.knownRansomwareCampaignUse).toBe('Unknown');
  });

  it('reports a count that does not match the list', async () => {
    const res = await kevSource.read(file(catalog([raw.vulnerabilities[0]], 2)));
    expect(res.problems.map((p) => p.message)).toEqual(['the catalog says it has 2 entries but lists 1']);
  });

  it('reads a gzip’d catalog, and refuses a truncated one whole, naming the file', async () => {
    const whole = readFileSync(CATALOG);
    const gz = gzipSync(whole);
    expect((await kevSource.read(file(gz))).kev?.length).toBe(1404);
    const cutGz = file(gz.subarray(0, Math.floor(gz.length / 2)));
    await expect(kevSource.read(cutGz)).rejects.toThrow(`${cutGz}: gzip data is cut short (unexpected end of file)`);
    const cutJson = file(whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(kevSource.read(cutJson)).rejects.toThrow(new RegExp(`^${cutJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: JSON ends early \\(`));
  });

  const unreadable: Array<[string, string | Buffer, RegExp]> = [
    ['binary garbage', Buffer.from([0xff, 0xfe, 0, 1, 2, 3]), /not JSON/],
    ['an empty file', '', /not JSON/],
    ['a JSON list', '[]', /not a KEV catalog: no "vulnerabilities" list/],
    ['a list that is not one', JSON.stringify({ catalogVersion: '1', vulnerabilities: {} }), /no "vulnerabilities" list/],
    ['a cut first entry', '{"catalogVersion": "1", "vulnerabilities": [{"cveID": "CVE-2020-0001"', /JSON ends early/],
  ];
  it.each(unreadable)('throws naming the file for %s', async (_, content, message) => {
    const f = file(content);
    await expect(kevSource.read(f)).rejects.toThrow(message);
    await expect(kevSource.read(f)).rejects.toThrow(f);
  });

  it('throws naming a missing file', async () => {
    await expect(kevSource.read(path.join(tmp.dir, 'gone.json'))).rejects.toThrow(/gone\.json/);
  });
});

describe('detect', () => {
  it('recognises the catalog, plain and gzip’d, and not its schema', () => {
    const bytes = readFileSync(CATALOG);
    expect(kevSource.detect(CATALOG, bytes.subarray(0, 4096))).toBe(true);
    expect(kevSource.detect(`${CATALOG}.gz`, gzipSync(bytes).subarray(0, 1024))).toBe(true);
    expect(kevSource.detect(SCHEMA, readFileSync(SCHEMA))).toBe(false);
  });

  it.each(['alpine/v3.11-main.json', 'npm-nodejs-security-wg/nodejs-core-index.json', 'debian/tracker-json-sample.json'])('leaves %s to other sources', (rel) => {
    expect(kevSource.detect(rel, readFileSync(path.join(REPO, 'data/feeds', rel)).subarray(0, 4096))).toBe(false);
  });
});
