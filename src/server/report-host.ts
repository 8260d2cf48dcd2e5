import type { ReportHost } from '../report/index.js';
import type { HostDetail, HostSummary } from './fleet-types.js';

/**
 * A host as the reports show it: its identity and state, and the advisory data its
 * findings were matched against (from its `coverage`). `vigil report` and the API's
 * CSV export both build their host columns with it, so the two agree.
 */
export function reportHost(h: HostSummary, detail: HostDetail | undefined): ReportHost {
  const r: ReportHost = { id: h.id, hostname: h.hostname, tags: h.tags, state: h.state, lastSeenAt: h.lastSeenAt };
  if (h.os) r.os = h.os;
  const cov = detail?.coverage;
  if (cov) {
    r.advisoryData = { feeds: [...new Set(cov.namespaces.flatMap((n) => n.feeds))].sort(), problems: cov.problems.map((p) => p.message) };
    if (cov.newest) r.advisoryData.newest = cov.newest;
  }
  return r;
}
