import Database from 'better-sqlite3';
import { VigilError } from '../common/errors.js';
import { findingTransition, type FindingStatus } from '../common/lifecycle/finding.js';
import { claimSchemaVersion, openStoreDatabase } from './sqlite-open.js';

/**
 * The server's suppression rules, in the fleet database beside the findings they set
 * aside (their own table and schema key, as the job tables do). The store keeps a
 * rule as the document the caller gives (the server's are the matcher's
 * R, as `vigil scan` reads from a .vigilignore or a VEX document). The
 * store also moves findings between ACTIVE and SUPPRESSED when the rules say so,
 * through the finding lifecycle (common/lifecycle/finding.ts), one transaction per call.
 */

const RULES_SCHEMA_VERSION = 1;
const SCHEMA_KEY = 'rules_schema';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS suppression_rules (id TEXT PRIMARY KEY, doc TEXT NOT NULL, created_at TEXT NOT NULL);
`;

/** An open finding as the rules see it: its status and the matcher's finding document. */
export interface OpenFindingRow {
  host_id: string;
  id: string;
  status: Exclude<FindingStatus, 'CLOSED'>;
  doc: string;
}

/** What the store needs of a rule: its id and creation time. */
export interface StoredRule {
  id: string;
  created: string;
}

export class SqliteRuleStore<R extends StoredRule = StoredRule> {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = openStoreDatabase(file, { what: 'the suppression rules in', notOurs: 'does not hold Vigil suppression rules' }, { busyTimeoutMs: 5000 });
    try {
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        claimSchemaVersion(this.db, SCHEMA_KEY, RULES_SCHEMA_VERSION, 'rules schema');
      })();
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  rules(): R[] {
    return this.db
      .prepare<[], { doc: string }>('SELECT doc FROM suppression_rules ORDER BY created_at, id')
      .all()
      .map((r) => JSON.parse(r.doc) as R);
  }

  rule(id: string): R | undefined {
    const r = this.db.prepare<[string], { doc: string }>('SELECT doc FROM suppression_rules WHERE id = ?').get(id);
    return r && (JSON.parse(r.doc) as R);
  }

  /** Adds rules; CONFLICT, adding none, when an id is taken. */
  add(rules: R[]): void {
    this.db.transaction(() => {
      const ins = this.db.prepare('INSERT INTO suppression_rules (id, doc, created_at) VALUES (?, ?, ?)');
      for (const r of rules) {
        if (this.rule(r.id)) throw new VigilError('CONFLICT', `a suppression rule ${JSON.stringify(r.id)} exists; remove it first or pick another id`);
        ins.run(r.id, JSON.stringify(r), r.created);
      }
    })();
  }

  remove(id: string): R {
    const r = this.rule(id);
    if (!r) throw new VigilError('NOT_FOUND', `no suppression rule ${JSON.stringify(id.slice(0, 200))}`);
    this.db.prepare('DELETE FROM suppression_rules WHERE id = ?').run(id);
    return r;
  }

  /** Every ACTIVE or SUPPRESSED finding (or only those with `status`), of one host or all, in host order. */
  openFindings(hostId?: string, status?: OpenFindingRow['status']): OpenFindingRow[] {
    return this.db
      .prepare<[string | null, string | null, string | null, string | null], OpenFindingRow>(
        "SELECT host_id, id, status, doc FROM findings WHERE status IN ('ACTIVE', 'SUPPRESSED') AND (? IS NULL OR status = ?) AND (? IS NULL OR host_id = ?) ORDER BY host_id, id",
      )
      .all(status ?? null, status ?? null, hostId ?? null, hostId ?? null);
  }

  /** Moves findings to their new status; one whose status changed meanwhile is left as it is and not returned. */
  setStatuses(changes: Array<{ hostId: string; id: string; from: OpenFindingRow['status']; to: OpenFindingRow['status'] }>): typeof changes {
    return this.db.transaction(() => {
      const done: typeof changes = [];
      const set = this.db.prepare('UPDATE findings SET status = ? WHERE host_id = ? AND id = ? AND status = ?');
      for (const c of changes) {
        findingTransition({ hostId: c.hostId, findingId: c.id, from: c.from, to: c.to });
        if (set.run(c.to, c.hostId, c.id, c.from).changes === 1) done.push(c);
      }
      return done;
    })();
  }

  /** Whether the per-vulnerability suppressions of FleetStore.suppress cover any of these ids on the host. */
  legacySuppressed(hostId: string, ids: string[]): boolean {
    return (
      this.db
        .prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM suppressions WHERE (host_id IS NULL OR host_id = ?) AND vulnerability IN (SELECT value FROM json_each(?))')
        .get(hostId, JSON.stringify(ids))!.n > 0
    );
  }

  close(): void {
    this.db.close();
  }
}
