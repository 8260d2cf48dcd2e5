import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { EPSS_LIMITS, epssSource } from '../../src/advisories/sources/epss.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const FEED = path.join(REPO, 'data/feeds/epss/epss_scores.csv.gz');
const text = gunzipSync(readFileSync(FEED)).toString('latin1');

const tmp = tempDir('vigil-epss-');
afterAll(tmp.cleanup);
let n = 0;
function file(content: string | Buffer): string {
  const p = path.join(tmp.dir, `epss-${n++}.csv`);
  writeFileSync(p, content);
  return p;
}

const HEAD = '#model_version:v2023.03.01,score_date:2023-03-07T00:00:00+0000\ncve,epss,percentile\n';
const GOOD = 'CVE-2021-44228,0.97565,0.99995\n';

describe('the bundled EPSS file', async () => {
  const res = await epssSource.read(FEED);

  it('gives all 360,142 scores of 2026-08-16 with no problem', () => {
    expect(res.epss?.length).toBe(360_142);
    expect(res.problems).toEqual([]);
    expect(res.advisories).toEqual([]);
    expect(new Set(res.epss!.map((e) => e.date))).toEqual(new Set(['2026-08-16']));
  });

  it('keeps every row as written, each value in [0, 1]', () => {
    const rows = text.trimEnd().split('\n').slice(2);
    expect(rows.length).toBe(res.epss!.length);
    const differ = res.epss!.filter((e, i) => {
      const [cve, epss, percentile] = rows[i]!.split(',');
      return e.cve !== cve || e.epss !== Number(epss) || e.percentile !== Number(percentile) || !(e.epss >= 0 && e.epss <= 1 && e.percentile >= 0 && e.percentile <= 1);
    });
    expect(differ).toEqual([]);
  });

  it('has the README’s examples', () => {
    const get = (cve: string) => res.epss!.find((e) => e.cve === cve);
    expect(get('CVE-2021-44228')).toEqual({ cve: 'CVE-2021-44228', epss: 0.99999, percentile: 1, date: '2026-08-16' });
    expect(get('CVE-2024-3094')).toEqual({ cve: 'CVE-2024-3094', epss: 0.85974, percentile: 0.99712, date: '2026-08-16' });
  });
});

describe('EPSS layouts', () => {
  it('reads FIRST’s header with a timestamp, CRLF line ends and a last line without a newline', async () => {
    const res = await epssSource.read(file(HEAD.replace(/\n/g, '\r\n') + GOOD.replace('\n', '\r\n') + 'CVE-2024-3094,8.5974e-1,.99712'));
    expect(res.problems).toEqual([]);
    expect(res.epss).toEqual([
      { cve: 'CVE-2021-44228', epss: 0.97565, percentile: 0.99995, date: '2023-03-07' },
      { cve: 'CVE-2024-3094', epss: 0.85974, percentile: 0.99712, date: '2023-03-07' },
    ]);
  });

  it('reads a header and no rows as no scores', async () => {
    expect((await epssSource.read(file(HEAD))).epss).toEqual([]);
  });
});

describe('malformed EPSS rows', () => {
  const rows: Array<[string, string, RegExp]> = [
    ['a score above 1', 'CVE-2020-0001,1.5,0.3', /line 4: CVE-2020-0001: "1.5,0.3" are not two numbers between 0 and 1; skipped/],
    ['a negative score', 'CVE-2020-0001,-0.1,0.3', /line 4: CVE-2020-0001: "-0.1,0.3" are not two numbers/],
    ['NaN', 'CVE-2020-0001,NaN,0.3', /"NaN,0.3" are not two numbers/],
    ['an empty score', 'CVE-2020-0001,,0.3', /",0.3" are not two numbers/],
    ['a bad CVE id', 'cve-2020-0001,0.1,0.3', /line 4: "cve-2020-0001" is not a CVE id; skipped/],
    ['a shell command', 'CVE-2020-0001;reboot,0.1,0.3', /line 4: "CVE-2020-0001;reboot" is not a CVE id/],
    ['a fourth column', 'CVE-2020-0001,0.1,0.3,x', /line 4: "CVE-2020-0001,0.1,0.3,x" is not cve,epss,percentile; skipped/],
    ['two columns', 'CVE-2020-0001,0.1', /line 4: "CVE-2020-0001,0.1" is not cve,epss,percentile/],
    ['binary garbage', '\u0000\u00ff\u00fe\u0001', /line 4: .* is not cve,epss,percentile/],
    ['a 1 MB line', `CVE-2020-0001,${'9'.repeat(1 << 20)},0.3`, new RegExp(`line 4: longer than ${EPSS_LIMITS.maxLineBytes} bytes; skipped`)],
  ];
  it.each(rows)('reports %s with its line number and reads the rest', async (_, bad, message) => {
    const res = await epssSource.read(file(gzipSync(`${HEAD}${GOOD}${bad}\n\nCVE-2024-3094,0.85974,0.99712\n`)));
    expect(res.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
    expect(res.epss?.map((e) => e.cve)).toEqual(['CVE-2021-44228', 'CVE-2024-3094']);
  });

  it(`reports ${EPSS_LIMITS.maxProblems} bad lines one by one, then how many more`, async () => {
    const res = await epssSource.read(file(HEAD + 'CVE-2020-0001,2,2\n'.repeat(100) + GOOD));
    expect(res.problems.length).toBe(EPSS_LIMITS.maxProblems + 1);
    expect(res.problems[0]?.message).toMatch(/^line 3: /);
    expect(res.problems.at(-1)?.message).toBe(`and ${100 - EPSS_LIMITS.maxProblems} more malformed lines`);
    expect(res.epss?.length).toBe(1);
  });

  it('refuses a truncated gzip whole, naming the file, rather than keep the rows before the cut', async () => {
    const gz = readFileSync(FEED);
    const f = file(gz.subarray(0, Math.floor(gz.length / 2)));
    await expect(epssSource.read(f)).rejects.toThrow(`${f}: gzip data is cut short (unexpected end of file)`);
  });
});

describe('unreadable EPSS files', () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['an empty file', '', /: empty$/],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0, 1, 2, 3, 10]), /line 1: expected the header cve,epss,percentile/],
    ['no header', '#model_version:x,score_date:2026-08-16\n' + GOOD, /line 2: expected the header cve,epss,percentile, found "CVE-2021-44228/],
    ['no score date', 'cve,epss,percentile\n' + GOOD, /no "#…score_date:YYYY-MM-DD" line before the header/],
    ['a bad score date', '#model_version:x,score_date:yesterday\ncve,epss,percentile\n' + GOOD, /no "#…score_date:YYYY-MM-DD" line/],
    ['a comment only', '#model_version:x,score_date:2026-08-16\n', /no header line cve,epss,percentile/],
    ['gzip’d garbage', gzipSync(Buffer.from('PK\u0003\u0004 not a csv\n')), /line 1: expected the header/],
    ['a gzip cut inside its header', gzipSync(HEAD + GOOD).subarray(0, 12), /gzip data is cut short/],
    ['a 1 MB header line', `#${'x'.repeat(1 << 20)}\n`, /no header line/],
  ];
  it.each(cases)('throws naming the file for %s', async (_, content, message) => {
    const f = file(content);
    await expect(epssSource.read(f)).rejects.toThrow(message);
    await expect(epssSource.read(f)).rejects.toThrow(f);
  });

  it('throws naming a missing file', async () => {
    await expect(epssSource.read(path.join(tmp.dir, 'gone.csv.gz'))).rejects.toThrow(/gone\.csv\.gz/);
  });
});

describe('detect', () => {
  it('recognises EPSS, gzip’d or plain, with or without the comment line', () => {
    expect(epssSource.detect(FEED, readFileSync(FEED).subarray(0, 1024))).toBe(true);
    expect(epssSource.detect('epss.csv', Buffer.from(HEAD + GOOD))).toBe(true);
    expect(epssSource.detect('epss.csv', Buffer.from('cve,epss,percentile\n' + GOOD))).toBe(true);
  });

  it.each(['kev/known_exploited_vulnerabilities.json', 'alpine/v3.11-main.json', 'debian/DSA-list.txt.gz'])('leaves %s to other sources', (rel) => {
    expect(epssSource.detect(rel, readFileSync(path.join(REPO, 'data/feeds', rel)).subarray(0, 4096))).toBe(false);
  });
});
