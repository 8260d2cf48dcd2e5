import type { Advisory, CvssScore } from '../model.js';
import type { AdvisorySource, FeedResult } from '../source.js';
import { cleanCwe, CVE_ID, firstZipEntry, englishText, isObj, isoDate, publisherName, readRecords, type RecordCollector, references, scoredVector, stateFromDescription, summaryOf } from './cve-record.js';
import { peekText, quote } from './shared.js';

/**
 * CVE JSON 5 records (https://github.com/CVEProject/cve-schema), as cvelistV5 keeps
 * them: one record per file (`cves/2024/3xxx/CVE-2024-3094.json`), a directory of those,
 * or a zip of the tree (the release zips, which wrap `cves.zip` in a zip of their own).
 *
 * Kept: the CNA's CVSS metrics (v4.0, v3.1, v3.0, v2.0) with the CNA's short name as
 * source, and those of ADP containers (CISA's vulnrichment, `CISA-ADP`); CWE ids of
 * `problemTypes`; datePublished/dateUpdated; the English description; references; the
 * state: `REJECTED` records → rejected, a `disputed` tag or `** DISPUTED **` description
 * → disputed.
 */

const NAME = 'cve5';
const METRIC_KEYS = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0'] as const;

function containerCvss(container: Record<string, unknown>, say: (m: string) => void): CvssScore[] {
  const meta = isObj(container.providerMetadata) ? container.providerMetadata : {};
  const source = publisherName(meta.shortName) ?? publisherName(meta.orgId);
  const out: CvssScore[] = [];
  for (const m of Array.isArray(container.metrics) ? container.metrics.slice(0, 32) : []) {
    if (!isObj(m)) continue;
    for (const key of METRIC_KEYS) {
      const v = m[key];
      if (!isObj(v)) continue;
      const c = scoredVector(v.vectorString, v.baseScore, source, say);
      if (c) out.push(c);
    }
  }
  return out;
}

function containerCwes(container: Record<string, unknown>, into: Set<string>): void {
  for (const pt of Array.isArray(container.problemTypes) ? container.problemTypes.slice(0, 100) : []) {
    for (const d of isObj(pt) && Array.isArray(pt.descriptions) ? pt.descriptions.slice(0, 100) : []) {
      const cwe = isObj(d) ? cleanCwe(d.cweId) : undefined;
      if (cwe) into.add(cwe);
    }
  }
}

export function parseCve5Record(raw: unknown, where: string, say: (m: string) => void): Advisory | undefined {
  if (!isObj(raw)) return say(`${where}: not a JSON object; skipped`), undefined;
  if (raw.dataType !== 'CVE_RECORD') return say(`${where}: dataType ${quote(raw.dataType)} is not CVE_RECORD; skipped`), undefined;
  const meta = isObj(raw.cveMetadata) ? raw.cveMetadata : undefined;
  const id = meta?.cveId;
  if (typeof id !== 'string' || !CVE_ID.test(id)) return say(`${where}: cveMetadata.cveId ${quote(id)} is not a CVE id; skipped`), undefined;
  const rsay = (m: string) => say(`${id}: ${m}`);
  const adv: Advisory = { id, source: NAME, aliases: [], affected: [] };
  const published = isoDate(meta!.datePublished);
  if (published) adv.published = published;
  const modified = isoDate(meta!.dateUpdated);
  if (modified) adv.modified = modified;
  const containers = isObj(raw.containers) ? raw.containers : {};
  const cna = isObj(containers.cna) ? containers.cna : undefined;
  if (!cna) return rsay('has no CNA container; skipped'), undefined;

  if (meta!.state === 'REJECTED') {
    adv.state = 'rejected';
    const why = summaryOf(englishText(cna.rejectedReasons));
    if (why) adv.summary = why;
    return adv;
  }
  if (meta!.state !== 'PUBLISHED') rsay(`state ${quote(meta!.state)} is neither PUBLISHED nor REJECTED; read as published`);
  const description = englishText(cna.descriptions);
  const summary = summaryOf(description);
  if (summary) adv.summary = summary;
  const tags = Array.isArray(cna.tags) ? cna.tags : [];
  if (tags.includes('disputed')) adv.state = 'disputed';
  else {
    const s = stateFromDescription(description);
    if (s) adv.state = s;
  }

  const cvss = containerCvss(cna, rsay);
  const cwes = new Set<string>();
  containerCwes(cna, cwes);
  for (const adp of Array.isArray(containers.adp) ? containers.adp.slice(0, 16) : []) {
    if (!isObj(adp)) continue;
    for (const c of containerCvss(adp, rsay)) if (!cvss.some((x) => x.vector === c.vector && x.source === c.source)) cvss.push(c);
    containerCwes(adp, cwes);
  }
  if (cvss.length) adv.cvss = cvss;
  if (cwes.size) adv.cwes = [...cwes].sort();
  const refs = references(cna.references);
  if (refs) adv.references = refs;
  return adv;
}

function readDocument(doc: unknown, c: RecordCollector, file: string, where: string): void {
  c.only(doc, file, where, 'CVE JSON 5 record');
}

export const cve5Source: AdvisorySource = {
  name: NAME,

  detect(_file: string, head: Buffer): boolean {
    // cvelistV5's tree zipped (`cves/…` or `cvelistV5-main/cves/…`), or its release zip wrapping `cves.zip`.
    const entry = firstZipEntry(head);
    if (entry !== undefined) return /^([^/]+\/)?cves(\/|\.zip$)/.test(entry);
    const text = peekText(head, head.length);
    // The record's keys come in any order: cvelistV5 writes `containers` first, `dataType` last.
    return /^\s*\{/.test(text) && (/"dataType"\s*:\s*"CVE_RECORD"/.test(text) || (/"cveMetadata"\s*:\s*\{/.test(text) && /"containers"\s*:\s*\{/.test(text)) || /^\s*\{\s*"containers"\s*:\s*\{\s*"(cna|adp)"/.test(text));
  },

  read(file: string): Promise<FeedResult> {
    return readRecords(file, parseCve5Record, readDocument);
  },
};
