import { SEVERITIES, type Severity } from '../advisories/model.js';
import { HTML_REPORT, html, page, type Html } from './html-kit.js';
import { advisoryAge, severityCounts, type FleetReport, type ReportFinding, type ReportHost, type ReportRenderer } from './model.js';

/**
 * One self-contained HTML page: counts per severity and per host, then every finding
 * in a table sorted by clicking its headers. Nothing is loaded from anywhere; every
 * value is escaped (html-kit.ts). Each number says where it came from: the request the
 * findings answered, each severity's source, each score's reasons, the publisher of
 * a CVSS vector, EPSS's date, CISA's KEV dates and the age of each host's advisory data.
 * Print styles make it a PDF-ready document (A4 landscape, headers repeated on every
 * page, no row split across pages); `vigil report --per-host` writes one per host.
 */

const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };
const MAX_LOCATIONS = 5;

const sev = (s: Severity): Html => html`<span class="sev sev-${s}">${s}</span>`;

function countCells(findings: readonly ReportFinding[]): Html[] {
  const c = severityCounts(findings);
  return [...SEVERITIES.map((s) => html`<td class="n">${c[s]}</td>`), html`<td class="n">${c.total}</td>`];
}

const severityHeads = (): Html[] => [...SEVERITIES.map((s) => html`<th class="n">${s}</th>`), html`<th class="n">total</th>`];

function hostRow(h: ReportHost, findings: readonly ReportFinding[], generatedAt: string): Html {
  const data = h.advisoryData;
  return html`<tr class="keep"><td><code>${h.id}</code></td><td>${h.hostname}</td><td>${h.os ?? ''}</td><td>${h.tags.join(', ')}</td><td>${h.state}<small>last seen ${h.lastSeenAt}</small></td>${countCells(findings)}<td data-sort="${data?.newest ?? ''}">${advisoryAge(h, generatedAt)}<small>${data ? `newest record of ${data.feeds.join(', ') || 'no feed'}` : ''}</small>${(data?.problems ?? []).map((p) => html`<small>${p}</small>`)}</td></tr>`;
}

function findingRow(s: ReportFinding, host: ReportHost | undefined): Html {
  const f = s.finding;
  const locs = f.component.locations;
  const shown = locs.slice(0, MAX_LOCATIONS).map((l) => html`<small><code>${l}</code></small>`);
  const more = locs.length > MAX_LOCATIONS ? html`<small>and ${locs.length - MAX_LOCATIONS} more</small>` : undefined;
  return html`<tr class="keep">
<td class="n" data-sort="${f.score}">${f.score.toFixed(1)}<small>Vigil score: ${(f.scoreReasons ?? []).join('; ') || 'no reasons given'}</small></td>
<td class="n" data-sort="${RANK[f.severity]}">${sev(f.severity)}<small>${f.severitySource ?? 'source not given'}</small></td>
<td>${f.vulnerability}${f.aliases.length ? html`<small>${f.aliases.join(', ')}</small>` : undefined}${f.summary ? html`<small>${f.summary}</small>` : undefined}</td>
<td>${host?.hostname ?? ''}<small><code>${s.hostId}</code></small></td>
<td>${f.component.name}<small>${f.component.ecosystem}</small><small><code>${f.component.purl}</code></small>${shown}${more}</td>
<td>${f.installedVersion}</td>
<td>${f.fixedVersion ?? (f.status === 'affected' ? '(no fix yet)' : `(${f.status})`)}</td>
<td class="n" data-sort="${f.cvss?.score ?? ''}">${f.cvss ? html`${f.cvss.score.toFixed(1)}<small>CVSS ${f.cvss.version} by ${f.cvss.source ?? 'an unnamed publisher'}</small><small><code>${f.cvss.vector}</code></small>` : undefined}</td>
<td class="n" data-sort="${f.epss?.score ?? ''}">${f.epss ? html`${f.epss.score.toFixed(3)}<small>percentile ${f.epss.percentile.toFixed(2)}, FIRST EPSS of ${f.epss.date}</small>` : undefined}</td>
<td>${f.kev ? html`yes<small>CISA KEV: added ${f.kev.dateAdded}, due ${f.kev.dueDate}${f.kev.ransomware ? ', used by ransomware' : ''}</small>` : undefined}</td>
<td>${f.exposure !== 'none' ? f.exposure : f.inUse ? 'in use' : ''}</td>
<td>${s.status}${s.closeReason ? html`<small>${s.closeReason}</small>` : undefined}<small>episode ${s.episode}</small></td>
<td data-sort="${s.firstSeen}">${s.firstSeen.slice(0, 10)}<small>last seen ${s.lastSeen}</small></td>
<td>${f.remediation ? html`<code>${f.remediation}</code>` : undefined}</td>
</tr>`;
}

export function renderFleetHtml(report: FleetReport): string {
  const { source, findings, generatedAt } = report;
  const hosts = source.hosts;
  const byHost = new Map<string, ReportFinding[]>(hosts.map((h) => [h.id, []]));
  for (const s of findings) (byHost.get(s.hostId) ?? byHost.set(s.hostId, []).get(s.hostId)!).push(s);
  const hostOf = new Map(hosts.map((h) => [h.id, h]));
  const one = hosts.length === 1 ? hosts[0] : undefined;
  const title = one ? `Vigil report: ${one.hostname} (${one.id})` : `Vigil report: ${hosts.length} hosts`;
  const body = html`<header>
<h1>${title}</h1>
<p class="meta">${findings.length} findings (status ${source.filters.status.join(', ')}${source.filters.severity ? `; severity ${source.filters.severity.join(', ')}` : ''}${source.filters.tag ? `; tag ${source.filters.tag}` : ''}) on ${hosts.length} host(s), as the Vigil server at <code>${source.api}</code> answered <code>${source.request}</code> at ${generatedAt}; written by vigil ${source.version}.</p>
</header>
${source.problems.length ? html`<h2>Left out</h2><ul class="problems">${source.problems.map((p) => html`<li>${p}</li>`)}</ul>` : undefined}
<section class="keep">
<h2>Where the numbers come from</h2>
<ul class="src">
<li>Counts: the findings listed below, counted by severity and by host.</li>
<li>Severity: each finding's own, with its source under it (a distribution's rating, a CVSS vector and its publisher, another publisher's word; README "Severity and its sources").</li>
<li>Score: the Vigil score the server's matcher gave (README "Vigil score"), with the reasons it was made of under it.</li>
<li>CVSS, EPSS, KEV: the base score of the vector its publisher gave, FIRST's EPSS of the date shown, CISA's Known Exploited Vulnerabilities catalog.</li>
<li>Advisory data: for each host, the newest record of the feeds covering its packages, as the server reported the host's coverage (<code>GET /api/v1/hosts/ID</code>).</li>
</ul>
</section>
<section class="keep">
<h2>By severity</h2>
<table><thead><tr>${severityHeads()}</tr></thead><tbody><tr>${countCells(findings)}</tr></tbody></table>
</section>
<section>
<h2>By host</h2>
<table class="sortable"><thead><tr><th>host id</th><th>hostname</th><th>OS</th><th>tags</th><th>state</th>${severityHeads()}<th>advisory data</th></tr></thead>
<tbody>${hosts.map((h) => hostRow(h, byHost.get(h.id) ?? [], generatedAt))}</tbody></table>
</section>
<section class="findings">
<h2>Findings</h2>
<p class="screen-only src">Click a column header to sort by it; click again for the other way.</p>
<table class="sortable"><thead><tr><th class="n">score</th><th class="n">severity</th><th>vulnerability</th><th>host</th><th>package</th><th>installed</th><th>fixed in</th><th class="n">CVSS</th><th class="n">EPSS</th><th>KEV</th><th>exposure</th><th>status</th><th>first seen</th><th>remediation</th></tr></thead>
<tbody>${findings.map((s) => findingRow(s, hostOf.get(s.hostId)))}</tbody></table>
</section>`;
  return page(title, body, source.version);
}

export const htmlRenderer: ReportRenderer = {
  format: 'html',
  extensions: ['.html', '.htm'],
  render: renderFleetHtml,
  recognises: (head) => HTML_REPORT.test(head),
};
