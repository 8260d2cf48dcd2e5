import type { AdvisoryStore } from '../store/advisory-store.js';
import type { FindingFilter } from '../store/fleet-store.js';
import type { FindingCounts, FleetStatsReader, FleetTotals } from '../store/sqlite-fleet-stats.js';
import type { KpiMethods } from './fleet-kpis.js';
import { feedAges, type FeedAge, type MetricsSnapshot } from './metrics-snapshot.js';

/**
 * What `GET /api/v1/stats` answers: the fleet's numbers at a glance, read in the
 * matcher worker where the stores live and handed over as plain JSON. Each number is
 * one SQL aggregate (store/sqlite-fleet-stats.ts); the feeds' freshness is what
 * /metrics reports as vigil_advisory_feed_age_seconds.
 */

/** A host not seen for this long is stale: a connected agent's heartbeat comes every minute. */
export const STALE_AFTER_SECONDS = 3600;
/** How far back the open findings by day reach. */
export const DAYS_BACK = 90;
/** How many hosts and vulnerabilities the top lists hold. */
export const TOP = 10;

export interface FleetStats extends FleetTotals {
  takenAt: string;
  staleAfterSeconds: number;
  daysBack: number;
  feeds: FeedAge[];
  /** Feeds whose dates could not be read. */
  problems: string[];
}

export interface StatsDeps {
  stats: Pick<FleetStatsReader, 'totals' | 'findingCounts'>;
  advisories: Pick<AdvisoryStore, 'sources'>;
  now?: () => Date;
}

export function fleetStats(deps: StatsDeps): FleetStats {
  const now = (deps.now ?? (() => new Date()))();
  const seenSince = new Date(now.getTime() - STALE_AFTER_SECONDS * 1000).toISOString();
  const day = new Date(now.getTime() - (DAYS_BACK - 1) * 86_400_000).toISOString().slice(0, 10);
  const problems: MetricsSnapshot['problems'] = [];
  const feeds = feedAges(deps.advisories, now.getTime(), problems);
  return {
    takenAt: now.toISOString(),
    staleAfterSeconds: STALE_AFTER_SECONDS,
    daysBack: DAYS_BACK,
    ...deps.stats.totals(seenSince, day, TOP),
    feeds,
    problems: problems.map((p) => p.message),
  };
}

/** The worker's methods behind the stats routes. */
export type StatsMethods = {
  stats: () => FleetStats;
  findingCounts: (filter: FindingFilter) => FindingCounts;
} & KpiMethods;
