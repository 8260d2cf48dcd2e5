import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { MatchRow } from './match.js';

/** What the hardening of each unit costs an attacker, as systemd rates it (lower is better). */
export const UNITS_COMMAND = 'systemd-analyze security --offline=yes systemd/UNIT.service';

/** The ceilings test/systemd.test.ts holds each service to. */
const TARGETS: Record<string, string> = {
  'vigil-agent.service': '≤ 2.3',
  'vigil-executor.service': '≤ 7.0 (root, runs the package manager)',
  'vigil-inventory.service': '≤ 2.3',
  'vigil-server.service': '≤ 1.3',
};

export function unitsBench(repo: string): { version: string; rows: MatchRow[] } {
  const version = execFileSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  const units = readdirSync(path.join(repo, 'systemd')).filter((f) => f.endsWith('.service')).sort();
  const rows = units.map((unit) => {
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', path.join(repo, 'systemd', unit)], { encoding: 'utf8' });
    const m = /Overall exposure level for \S+: ([0-9.]+) (\S+)/.exec(out);
    if (!m) throw new Error(`systemd-analyze security ${unit}: no overall exposure level in its output`);
    return { what: unit, result: `${m[1]} (${m[2]})`, target: TARGETS[unit] ?? '—' };
  });
  return { version, rows };
}
