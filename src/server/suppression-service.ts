import { randomBytes } from 'node:crypto';
import { VigilError } from '../common/errors.js';
import type { Finding } from '../matcher/finding.js';
import { parseVigilignore } from '../matcher/suppression-file.js';
import { applySuppressions, instantOf, isExpired, type SuppressionRule } from '../matcher/suppression.js';
import { parseVex } from '../matcher/vex.js';
import type { OpenFindingRow, SqliteRuleStore } from '../store/sqlite-rules.js';
import { findingEvent } from './events/finding-event.js';
import type { EventSink } from './events.js';
import type { ServerFleetStore } from './fleet-types.js';

/**
 * Suppression on the server: the rules `vigil scan` reads from a .vigilignore or a
 * VEX document, kept in the fleet database and applied to every fleet host (a rule
 * naming hosts or tags only to those). A suppressed finding keeps its lifecycle and
 * episodes and leaves the active counts; it becomes ACTIVE again when its rule
 * expires, is removed, or stops matching. Each move is a `Finding State Change`
 * event naming the rule and why.
 */

/** What a caller gives for a new rule: the .vigilignore rule without author and creation time, which the server sets. */
export type RuleInput = Record<string, unknown>;

export interface RefreshResult {
  suppressed: number;
  unsuppressed: number;
}

/** A suppressed finding on a fleet host and the rule in force that sets it aside. */
export interface FleetDecision {
  host: { id: string; hostname: string };
  finding: Finding;
  rule: SuppressionRule;
}

export class SuppressionService {
  /** When the last full pass ran and the rules it applied (their ids). */
  private last: { at: number; rules: string } | undefined;

  constructor(
    private readonly rules: SqliteRuleStore<SuppressionRule>,
    private readonly fleet: ServerFleetStore,
    private readonly now: () => Date,
    private readonly emit: EventSink = () => {},
  ) {}

  list(): SuppressionRule[] {
    return this.rules.rules();
  }

  /** Checks a rule as a .vigilignore rule (the same schema and messages), stores it and applies it. */
  create(input: RuleInput, author: string): SuppressionRule {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new VigilError('INVALID_INPUT', 'a rule is a JSON object');
    const id = typeof input.id === 'string' ? input.id : `rule-${randomBytes(6).toString('hex')}`;
    const created = this.now().toISOString();
    const [rule] = parseVigilignore(JSON.stringify({ version: 1, rules: [{ ...input, id, author, created }] }), 'rule');
    const stored: SuppressionRule = { ...rule!, origin: `server rule ${id} by ${author}` };
    this.rules.add([stored]);
    this.refresh();
    return stored;
  }

  /** Every statement of an OpenVEX or CycloneDX VEX document as rules, stored together and applied. */
  importVex(text: string, name: string, author: string): { rules: SuppressionRule[]; warnings: string[] } {
    const vex = parseVex(text, name);
    const created = this.now().toISOString();
    const tag = randomBytes(4).toString('hex');
    const rules = vex.rules.map((r, i) => ({ ...r, id: `vex-${tag}-${i + 1}`, author: r.author || author, created: r.created || created }));
    this.rules.add(rules);
    this.refresh();
    return { rules, warnings: vex.warnings };
  }

  remove(id: string): SuppressionRule {
    const r = this.rules.remove(id);
    this.refresh();
    return r;
  }

  /** For reconciling a host's findings: whether the rules in force set a finding aside. */
  suppressedBy(hostId: string): (f: Finding) => boolean {
    const rules = this.rules.rules();
    if (rules.length === 0) return () => false;
    const host = this.fleet.host(hostId);
    const ctx = { now: this.now(), host: { id: hostId, tags: host?.tags ?? [] } };
    return (f) => applySuppressions([f], rules, ctx).suppressed.length > 0;
  }

  /**
   * Brings every open finding's status in line with the rules in force now: what a
   * new rule covers is suppressed, what an expired, removed or no longer matching
   * rule covered is active again. Run after each rule change and on a timer, so an
   * expiry takes effect within one period.
   */
  refresh(hostId?: string): RefreshResult {
    const rules = this.rules.rules();
    const now = this.now();
    if (hostId === undefined) this.last = { at: now.getTime(), rules: signature(rules) };
    const out: RefreshResult = { suppressed: 0, unsuppressed: 0 };
    // Without rules only a SUPPRESSED finding can move (back to ACTIVE).
    for (const [host, mine] of byHost(this.rules.openFindings(hostId, rules.length === 0 ? 'SUPPRESSED' : undefined))) {
      const record = this.fleet.host(host);
      if (!record || record.revokedAt) continue;
      const byId = new Map(mine.map((r) => [r.id, { row: r, finding: JSON.parse(r.doc) as Finding }]));
      const result = applySuppressions([...byId.values()].map((x) => x.finding), rules, { now, host: { id: host, tags: record.tags } });
      const why = new Map<string, Record<string, unknown>>();
      const changes: Array<{ hostId: string; id: string; from: 'ACTIVE' | 'SUPPRESSED'; to: 'ACTIVE' | 'SUPPRESSED' }> = [];
      for (const s of result.suppressed) {
        if (byId.get(s.finding.id)?.row.status !== 'ACTIVE') continue;
        changes.push({ hostId: host, id: s.finding.id, from: 'ACTIVE', to: 'SUPPRESSED' });
        why.set(s.finding.id, { rule: ruleRef(s.rule) });
      }
      const lapsed = new Map<string, SuppressionRule>();
      for (const e of result.expired) for (const f of e.findings) if (!lapsed.has(f.id)) lapsed.set(f.id, e.rule);
      for (const f of result.kept) {
        const row = byId.get(f.id)!.row;
        if (row.status !== 'SUPPRESSED' || this.legacySuppressed(host, f)) continue;
        changes.push({ hostId: host, id: f.id, from: 'SUPPRESSED', to: 'ACTIVE' });
        const expired = lapsed.get(f.id);
        why.set(f.id, expired && isExpired(expired, now) ? { because: 'rule-expired', rule: ruleRef(expired) } : { because: 'no-rule-matches' });
      }
      for (const c of this.rules.setStatuses(changes)) {
        if (c.to === 'SUPPRESSED') out.suppressed++;
        else out.unsuppressed++;
        const stored = this.fleet.finding(host, c.id);
        if (!stored) continue;
        const e = findingEvent({ id: host, hostname: record.hostname }, stored, c.from);
        this.emit(e.detailType, e.resources, { ...e.detail, suppression: why.get(c.id) }, now.toISOString());
      }
    }
    return out;
  }

  /**
   * The timer's pass: a full refresh when a rule's expiry fell since the last one or
   * the rules are not those it applied (another process may have changed them);
   * otherwise nothing moves, so the findings are not read. Returns what moved, or
   * undefined when no pass was due.
   */
  tick(): RefreshResult | undefined {
    const rules = this.rules.rules();
    const now = this.now().getTime();
    const last = this.last;
    const lapsed = (r: SuppressionRule): boolean => {
      const t = r.expires === undefined ? NaN : instantOf(r.expires);
      return t > last!.at && t <= now;
    };
    if (last && last.rules === signature(rules) && !rules.some(lapsed)) return undefined;
    return this.refresh();
  }

  /** What is decided now: each SUPPRESSED finding (of one host, or of the hosts with a tag) and the rule in force that covers it. */
  decisions(filter: { hostId?: string; tag?: string } = {}): FleetDecision[] {
    const rules = this.rules.rules();
    if (rules.length === 0) return [];
    const now = this.now();
    const out: FleetDecision[] = [];
    for (const [host, mine] of byHost(this.rules.openFindings(filter.hostId, 'SUPPRESSED'))) {
      const record = this.fleet.host(host);
      if (!record || record.revokedAt || (filter.tag !== undefined && !record.tags.includes(filter.tag))) continue;
      const result = applySuppressions(
        mine.map((r) => JSON.parse(r.doc) as Finding),
        rules,
        { now, host: { id: host, tags: record.tags } },
      );
      for (const s of result.suppressed) out.push({ host: { id: host, hostname: record.hostname }, finding: s.finding, rule: s.rule });
    }
    return out;
  }

  /** Whether the store's own per-vulnerability suppressions (FleetStore.suppress) hold the finding: those stay. */
  private legacySuppressed(hostId: string, f: Finding): boolean {
    return this.rules.legacySuppressed(hostId, [f.vulnerability, ...f.aliases]);
  }
}

function signature(rules: SuppressionRule[]): string {
  return rules.map((r) => r.id).join('\n');
}

/** Rows in host order, one group per host. */
function* byHost(rows: OpenFindingRow[]): Generator<[string, OpenFindingRow[]]> {
  for (let i = 0; i < rows.length; ) {
    const host = rows[i]!.host_id;
    const mine: OpenFindingRow[] = [];
    while (i < rows.length && rows[i]!.host_id === host) mine.push(rows[i++]!);
    yield [host, mine];
  }
}

function ruleRef(r: SuppressionRule): Record<string, unknown> {
  return { id: r.id, reason: r.reason, author: r.author, ...(r.expires ? { expires: r.expires } : {}), ...(r.justification ? { justification: r.justification } : {}) };
}
