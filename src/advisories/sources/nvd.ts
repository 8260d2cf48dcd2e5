import type { Advisory, CvssScore } from '../model.js';
import type { AdvisorySource, FeedResult } from '../source.js';
import { cleanCwe, CVE_ID, firstZipEntry, englishText, isObj, isoDate, publisherName, readRecords, type RecordCollector, references, scoredVector, stateFromDescription, summaryOf } from './cve-record.js';
import { peekText, quote, unreadable } from './shared.js';

/**
 * NVD's CVE API 2.0 (https://nvd.nist.gov/developers/vulnerabilities): a page as the API
 * returns it (`{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": …}]}`),
 * the yearly and modified feed files of the same shape (`nvdcve-2.0-2024.json.gz`), a
 * single `cve` object (the layout of mirrors that keep one file per CVE), a directory or
 * a zip of those.
 *
 * Kept: every CVSS metric (v4.0, v3.1, v3.0, v2) with its `source` (NVD's
 * `nvd@nist.gov` or the CNA's), CWE ids, published/lastModified, the English
 * description, references, and the state: `vulnStatus: Rejected` → rejected, a
 * `disputed` cveTag or a `** DISPUTED **` description → disputed. CPE configurations
 * are not used: Vigil matches packages by each ecosystem's own feed.
 */

const NAME = 'nvd';
/** Source identifiers NVD writes as UUIDs for the CVE Program's own containers, by the names CVE 5 records use. */
const KNOWN_SOURCES: Readonly<Record<string, string>> = {
  '134c704f-9b21-4f2e-91b3-4a467353bcc0': 'CISA-ADP',
  'af854a3a-2127-422b-91ae-364da2661108': 'CVE',
};
const METRICS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;

export function parseNvdCve(raw: unknown, where: string, say: (m: string) => void): Advisory | undefined {
  if (!isObj(raw)) return say(`${where}: not a JSON object; skipped`), undefined;
  const id = raw.id;
  if (typeof id !== 'string' || !CVE_ID.test(id)) return say(`${where}: id ${quote(id)} is not a CVE id; skipped`), undefined;
  const rsay = (m: string) => say(`${id}: ${m}`);
  const adv: Advisory = { id, source: NAME, aliases: [], affected: [] };
  const published = isoDate(raw.published);
  if (published) adv.published = published;
  else if (raw.published !== undefined) rsay(`published ${quote(raw.published)} is not a date`);
  const modified = isoDate(raw.lastModified);
  if (modified) adv.modified = modified;
  const description = englishText(raw.descriptions);
  const summary = summaryOf(description);
  if (summary) adv.summary = summary;

  const tags = Array.isArray(raw.cveTags) ? raw.cveTags.slice(0, 100).flatMap((t) => (isObj(t) && Array.isArray(t.tags) ? t.tags : [])) : [];
  if (raw.vulnStatus === 'Rejected') adv.state = 'rejected';
  else if (tags.includes('disputed')) adv.state = 'disputed';
  else {
    const s = stateFromDescription(description);
    if (s) adv.state = s;
  }

  const cvss: CvssScore[] = [];
  const metrics = isObj(raw.metrics) ? raw.metrics : {};
  for (const key of METRICS) {
    const list = metrics[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      rsay(`metrics.${key} is not a list; skipped`);
      continue;
    }
    for (const m of list.slice(0, 32)) {
      if (!isObj(m) || !isObj(m.cvssData)) {
        rsay(`metrics.${key} holds an entry without cvssData; skipped`);
        continue;
      }
      const id = publisherName(m.source);
      const source = id && Object.hasOwn(KNOWN_SOURCES, id) ? KNOWN_SOURCES[id] : id;
      const c = scoredVector(m.cvssData.vectorString, m.cvssData.baseScore, source, rsay);
      if (c && !cvss.some((x) => x.vector === c.vector && x.source === c.source)) cvss.push(c);
    }
  }
  if (cvss.length) adv.cvss = cvss;

  const cwes = new Set<string>();
  for (const w of Array.isArray(raw.weaknesses) ? raw.weaknesses.slice(0, 100) : []) {
    for (const d of isObj(w) && Array.isArray(w.description) ? w.description.slice(0, 100) : []) {
      const cwe = isObj(d) ? cleanCwe(d.value) : undefined;
      if (cwe) cwes.add(cwe);
    }
  }
  if (cwes.size) adv.cwes = [...cwes].sort();
  const refs = references(raw.references);
  if (refs) adv.references = refs;
  return adv;
}

/** An API page or feed file, or one `cve` object. */
function readDocument(doc: unknown, c: RecordCollector, file: string, where: string): void {
  if (!isObj(doc)) throw unreadable(file, 'not an NVD CVE API 2.0 page or CVE record (not a JSON object)');
  if (Array.isArray(doc.vulnerabilities)) {
    if (doc.format !== undefined && doc.format !== 'NVD_CVE') throw unreadable(file, `format ${quote(doc.format)} is not NVD_CVE`);
    let ok = 0;
    doc.vulnerabilities.forEach((v, i) => {
      if (isObj(v) && c.add(v.cve, file, `vulnerabilities[${i}]`)) ok++;
      else if (!isObj(v)) c.problem(file, `vulnerabilities[${i}]: not an object with a "cve"; skipped`);
    });
    if (doc.vulnerabilities.length > 0 && ok === 0) throw unreadable(file, `none of its ${doc.vulnerabilities.length} vulnerabilities is a readable CVE record`);
    return;
  }
  if (typeof doc.id === 'string' && ('vulnStatus' in doc || 'sourceIdentifier' in doc)) {
    c.only(doc, file, where, 'NVD CVE record');
    return;
  }
  throw unreadable(file, 'not an NVD CVE API 2.0 page (no "vulnerabilities" list) or CVE record');
}

export const nvdSource: AdvisorySource = {
  name: NAME,

  detect(file: string, head: Buffer): boolean {
    const entry = firstZipEntry(head);
    if (entry !== undefined) return /(^|\/)nvdcve[^/]*\.json$/i.test(entry) || /(^|\/)nvdcve[^/]*\.zip$/i.test(file);
    const text = peekText(head);
    if (!/^\s*\{/.test(text)) return false;
    if (/"format"\s*:\s*"NVD_CVE"/.test(text)) return true;
    // One record per file: NVD's `cve` object opens with its id and the NVD-only fields.
    return /^\s*\{\s*"id"\s*:\s*"CVE-/.test(text) && /"(sourceIdentifier|vulnStatus)"\s*:/.test(text);
  },

  read(file: string): Promise<FeedResult> {
    return readRecords(file, parseNvdCve, readDocument);
  },
};
