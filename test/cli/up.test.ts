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
  }, 600_000);
});
