import { afterAll, describe, expect, it } from 'vitest';
import { vigil } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

/** The README's main command: `npm start` runs `vigil up --once`. */
describe('vigil up --once (the embedded default)', () => {
  const tmp = tempDir('vigil-up-');
  afterAll(() => tmp.cleanup());

  it('starts a server and an agent for this host, then prints the host findings from the API', async () => {
    const r = await vigil(['up', '--once', '--top', '3', '--data-dir', tmp.dir], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/server PKI created/);
    expect(r.stderr).toMatch(/this host enrolled as a-[0-9a-f]{16}/);
    const m = /^host \S+ \((a-[0-9a-f]{16})\) .*: (\d+) components, (\d+) active findings$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(100);
    // The same host scanned standalone against the same database gives the same findings.
    const scan = await vigil(['scan', '--root', '/', '--db', `${tmp.dir}/server`, '--format', 'json', '--quiet'], { timeoutMs: 300_000 });
    const standalone = (JSON.parse(scan.stdout) as { findings: unknown[] }).findings.length;
    expect(Number(m![3])).toBe(standalone);

    // A second run reuses the enrollment and the inventory epoch.
    const again = await vigil(['up', '--once', '--json', '--data-dir', tmp.dir], { timeoutMs: 300_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/enrolled/);
    const doc = JSON.parse(again.stdout) as { host: { id: string }; findings: unknown[] };
    expect(doc.host.id).toBe(m![1]);
    expect(doc.findings.length).toBe(Number(m![3]));
    // The agent read this host's processes and sent which packages are in use: the
    // server's findings say in use or not running, and score as the standalone scan does.
    const docs = doc.findings as Array<{ id: string; finding: { inUse: boolean; score: number; scoreReasons: string[] } }>;
    expect(docs.some((s) => s.finding.scoreReasons.includes('installed, not running'))).toBe(true);
    const local = new Map((JSON.parse(scan.stdout) as { findings: Array<{ id: string; inUse: boolean; score: number }> }).findings.map((f) => [f.id, f]));
    for (const s of docs) expect({ id: s.id, inUse: s.finding.inUse, score: s.finding.score }).toEqual({ id: s.id, inUse: local.get(s.id)?.inUse, score: local.get(s.id)?.score });
    // Remediation for this host from the API, grouped by source package: one refresh and one upgrade per manager.
    const plan = (doc as unknown as { remediation: { steps: Array<{ manager: string; commands: string[]; groups: Array<{ packages: string[] }> }> } }).remediation;
    const fixable = (doc.findings as Array<{ finding: { status: string; fixedVersion?: string; component: { ecosystem: string; name: string } } }>).filter((s) => s.finding.status === 'fixed' && s.finding.fixedVersion);
    const debs = [...new Set(fixable.filter((s) => s.finding.component.ecosystem === 'deb').map((s) => s.finding.component.name))].sort();
    const apt = plan.steps.find((s) => s.manager === 'apt');
    if (debs.length) {
      expect(apt!.commands).toEqual(['apt-get update', `apt-get install --only-upgrade ${debs.join(' ')}`]);
      expect(r.stdout).toMatch(/^to fix what has a fix, on this host:\n {2}apt \(the host; \d+ source packages\):\n {4}apt-get update\n {4}apt-get install --only-upgrade /m);
    } else expect(apt).toBeUndefined();

    // The README's sequence: once up --once has stopped its server, hosts and findings
    // answer from the same data directory with no flags, and say the same numbers.
    const env = { VIGIL_DATA_DIR: tmp.dir, VIGIL_API_URL: '', VIGIL_API_TOKEN: '' };
    expect(r.stdout).toMatch(new RegExp(`more: vigil findings --host ${m![1]}\n`));
    const hosts = await vigil(['hosts'], { env });
    expect(hosts.code, hosts.stderr).toBe(0);
    expect(hosts.stdout).toMatch(new RegExp(`^${m![1]}\\s.*\\s${m![3]} \\(`, 'm'));
    const high = await vigil(['findings', '--severity', 'high'], { env });
    expect(high.code, high.stderr).toBe(0);
    const all = await vigil(['findings', '--host', m![1]!, '--json'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(Number(m![3]));
    // The in-process API let go of the directory: up starts again.
    const third = await vigil(['up', '--once', '--top', '0', '--data-dir', tmp.dir], { timeoutMs: 300_000 });
    expect(third.code, third.stderr).toBe(0);
  }, 600_000);
});
