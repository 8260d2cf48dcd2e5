import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FINDING_STATUSES } from '../common/lifecycle/finding.js';
import { HOST_STATES } from '../common/lifecycle/host.js';
import { JOB_STATES } from '../common/lifecycle/patch-job.js';
import { SEVERITIES } from '../advisories/model.js';
import { DELIVERY_STATES } from '../store/sqlite-events-rows.js';
import type { MetricsSnapshot } from './metrics-snapshot.js';

export type { MetricsSnapshot } from './metrics-snapshot.js';

/** What became of one webhook send: delivered, failed and to be retried, or given up. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'dead';
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['delivered', 'failed', 'dead'];

/** What the server answered a delta: applied, re-acked as a duplicate, or a resync asked for. */
export type DeltaOutcome = 'applied' | 'duplicate' | 'resync';
export const DELTA_OUTCOMES: readonly DeltaOutcome[] = ['applied', 'duplicate', 'resync'];

/** From 1 ms to 10 s, about three buckets a decade. */
export const DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A stored host is never `deleted`. */
const STORED_HOST_STATES = HOST_STATES.filter((s) => s !== 'deleted');

const usable = (seconds: number): boolean => Number.isFinite(seconds) && seconds >= 0;

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's
 * global one), so two servers in one process, or a test, do not share counters.
 * Gauges are set from a MetricsSnapshot the matcher worker reads; counters and
 * histograms are fed by the code that sees each event. Known label values (host
 * states, severities × statuses, delivery and job states) are always exported, at 0
 * when nothing is in them, so a state that empties reads 0 instead of its last value
 * and a rate over a counter starts from a sample.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly hosts: Gauge<'state'>;
  private readonly findings: Gauge<'severity' | 'status'>;
  private readonly streams: Gauge;
  private readonly feedAge: Gauge<'feed'>;
  private readonly feedImportAge: Gauge<'feed'>;
  private readonly deliveries: Gauge<'state'>;
  private readonly patchJobs: Gauge<'state'>;
  private readonly snapshotParts: Gauge<'part'>;
  private readonly webhooks: Counter<'outcome'>;
  private readonly deltas: Counter<'outcome'>;
  private readonly deltaSeconds: Histogram;
  private readonly matchSeconds: Histogram;
  private readonly apiSeconds: Histogram<'method' | 'route' | 'status'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> => new Gauge<L>({ name, help, labelNames, registers });
    this.hosts = gauge('vigil_hosts', 'Hosts known to the server, by lifecycle state', ['state']);
    this.findings = gauge('vigil_findings', 'Findings in the fleet database, by severity and status', ['severity', 'status']);
    this.streams = gauge('vigil_agent_streams', 'Agent Connect streams open on this server');
    this.feedAge = gauge('vigil_advisory_feed_age_seconds', "Age of each advisory feed's newest record (its import, for feeds that date no record)", ['feed']);
    this.feedImportAge = gauge('vigil_advisory_feed_import_age_seconds', 'Time since each advisory feed was last imported', ['feed']);
    this.deliveries = gauge('vigil_event_deliveries', 'Event deliveries in the queue, by state', ['state']);
    this.patchJobs = gauge('vigil_patch_jobs', 'Patch jobs, by state', ['state']);
    this.snapshotParts = gauge('vigil_metrics_snapshot_ok', 'Whether the last snapshot read this part of the gauges (1) or failed and left its last values (0)', ['part']);
    this.webhooks = new Counter({ name: 'vigil_webhook_deliveries_total', help: 'Event delivery attempts, by outcome', labelNames: ['outcome'], registers });
    this.deltas = new Counter({ name: 'vigil_agent_deltas_total', help: 'Inventory deltas received from agents, by what the server answered', labelNames: ['outcome'], registers });
    const buckets = [...DURATION_BUCKETS];
    this.deltaSeconds = new Histogram({ name: 'vigil_delta_apply_seconds', help: 'Time to apply one inventory delta in the fleet store', buckets, registers });
    this.matchSeconds = new Histogram({ name: 'vigil_match_seconds', help: "Time to match one host's inventory and reconcile its findings", buckets, registers });
    this.apiSeconds = new Histogram({ name: 'vigil_api_request_duration_seconds', help: 'HTTP API request duration, by method, route pattern and status', labelNames: ['method', 'route', 'status'], buckets, registers });
    for (const outcome of DELIVERY_OUTCOMES) this.webhooks.inc({ outcome }, 0);
    for (const outcome of DELTA_OUTCOMES) this.deltas.inc({ outcome }, 0);
    this.streams.set(0);
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
  }

  /** Sets every gauge of the parts the snapshot holds; a part it lacks keeps its last values. */
  setSnapshot(s: MetricsSnapshot): void {
    const failed = new Set(s.problems.map((p) => p.part));
    for (const part of ['hosts', 'findings', 'feeds', 'deliveries', 'patchJobs'] as const) {
      if (s[part] !== undefined) this.snapshotParts.set({ part }, 1);
      else if (failed.has(part)) this.snapshotParts.set({ part }, 0);
    }
    if (s.hosts) setByState(this.hosts, STORED_HOST_STATES, s.hosts);
    if (s.deliveries) setByState(this.deliveries, DELIVERY_STATES, s.deliveries);
    if (s.patchJobs) setByState(this.patchJobs, JOB_STATES, s.patchJobs);
    if (s.findings) {
      this.findings.reset();
      for (const severity of SEVERITIES) for (const status of FINDING_STATUSES) this.findings.set({ severity, status }, 0);
      for (const f of s.findings) if (usable(f.n)) this.findings.inc({ severity: f.severity, status: f.status }, f.n);
    }
    if (s.feeds) {
      this.feedAge.reset();
      this.feedImportAge.reset();
      for (const f of s.feeds) {
        if (usable(f.ageSeconds)) this.feedAge.set({ feed: f.feed }, f.ageSeconds);
        if (usable(f.importAgeSeconds)) this.feedImportAge.set({ feed: f.feed }, f.importAgeSeconds);
      }
    }
  }

  /** The number of agent streams open now. */
  setStreams(n: number): void {
    if (usable(n)) this.streams.set(n);
  }

  deliveryOutcome(outcome: DeliveryOutcome): void {
    if (DELIVERY_OUTCOMES.includes(outcome)) this.webhooks.inc({ outcome });
  }

  /** One delta received, counted by what the server answered. */
  deltaReceived(outcome: DeltaOutcome): void {
    if (DELTA_OUTCOMES.includes(outcome)) this.deltas.inc({ outcome });
  }

  /** Durations are in seconds; a negative or non-finite one (a clock that stepped) is dropped. */
  observeDelta(seconds: number): void {
    if (usable(seconds)) this.deltaSeconds.observe(seconds);
  }

  observeMatch(seconds: number): void {
    if (usable(seconds)) this.matchSeconds.observe(seconds);
  }

  /** `route` is the route's pattern (`/api/v1/hosts/:id`), never the URL, so the label's values stay few. */
  observeApi(method: string, route: string, status: number, seconds: number): void {
    if (usable(seconds)) this.apiSeconds.observe({ method: method.toUpperCase(), route, status: String(status) }, seconds);
  }

  /** The exposition in Prometheus text format 0.0.4. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Every known state at its count (0 when absent); a state this Vigil does not know is still shown when present. */
function setByState(g: Gauge<'state'>, known: readonly string[], counts: Record<string, number>): void {
  g.reset();
  for (const state of known) g.set({ state }, 0);
  for (const [state, n] of Object.entries(counts)) if (usable(n)) g.set({ state }, n);
}
