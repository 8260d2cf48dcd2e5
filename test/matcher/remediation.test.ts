import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { parseApkWorld, parseAptPreferences, pinNames } from '../../src/inventory/collectors/pins.parse.js';
import { scan } from '../../src/inventory/scan.js';
import { matchInventory } from '../../src/matcher/match.js';
import { remediation, remediationPlan, renderRemediationPlan } from '../../src/matcher/remediation.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { ensureGoFixtures, GO_BINARIES } from '../inventory/collectors/go-fixtures.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';

const FEEDS = path.join(REPO, 'data/feeds');
const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';
const STATUS = readFileSync(path.join(PKGDB, 'debian12-minbase-status'), 'utf8');

let store: SqliteAdvisoryStore;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  const { dir, cleanup } = tempDir('vigil-remediation-db-');
  cleanups.push(cleanup);
  const { feeds } = await readFeeds([path.join(FEEDS, 'debian12-archive/debian12.osv.json.gz'), path.join(FEEDS, 'osv-ecosystems/go.osv.json.gz')]);
  store = new SqliteAdvisoryStore(path.join(dir, 'advisories.db'));
  store.importFeeds(feeds, '2026-01-01T00:00:00Z');
});
afterAll(() => {
  store?.close();
  for (const c of cleanups.reverse()) c();
});

async function scanRoot(spec: Parameters<typeof makeRoot>[0]) {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  const inv = await scan({ root: r.root, noLive: true });
  return { inv, findings: matchInventory(inv, store).findings };
}

/** The status file with one package's selection set to hold, as `apt-mark hold` leaves it. */
function holding(pkg: string): string {
  const at = STATUS.indexOf(`Package: ${pkg}\n`);
  const end = STATUS.indexOf('\n\n', at);
  return STATUS.slice(0, at) + STATUS.slice(at, end).replace('Status: install ok installed', 'Status: hold ok installed') + STATUS.slice(end);
}

describe('remediation plan for a Debian 12 root', () => {
  it('is one apt-get update and one upgrade, grouped by source package, each fix in exactly one group', async () => {
    const { inv, findings } = await scanRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': STATUS });
    const fixed = findings.filter((f) => f.status === 'fixed' && f.fixedVersion);
    expect(fixed.length).toBeGreaterThan(5);
    const plan = remediationPlan(findings, inv.target.kind, inv.components);
    expect(plan.steps.map((s) => s.manager)).toEqual(['apt']);
    const [apt] = plan.steps;
    expect(apt!.commands[0]).toBe('apt-get update');
    const upgraded = apt!.commands[1]!.replace(/^apt-get install --only-upgrade /, '').split(' ');
    // Every binary package with a fixed finding, once; nothing else.
    expect(upgraded).toEqual([...new Set(fixed.map((f) => f.component.name))].sort());
    // Grouped by the source package the advisories name: each source once, with all its affected binaries.
    const bySource = new Map<string, Set<string>>();
    for (const f of fixed) bySource.set(f.component.source?.name ?? f.component.name, (bySource.get(f.component.source?.name ?? f.component.name) ?? new Set()).add(f.component.name));
    expect(apt!.groups.map((g) => g.package)).toEqual([...bySource.keys()].sort());
    for (const g of apt!.groups) {
      expect(g.packages).toEqual([...bySource.get(g.package)!].sort());
      expect(g.vulnerabilities).toEqual([...new Set(fixed.filter((f) => (f.component.source?.name ?? f.component.name) === g.package).map((f) => f.vulnerability))].sort());
    }
    expect(apt!.groups.some((g) => g.packages.length > 1)).toBe(true);
    expect(plan.unfixed).toEqual([...new Set(findings.filter((f) => f.status !== 'fixed').map((f) => f.vulnerability))].sort());
    const text = renderRemediationPlan(plan);
    expect(text.match(/apt-get install/g)).toHaveLength(1);
    expect(text).toMatch(/^ {4}apt-get update$/m);
  });

  it('says when a package is held or pinned, from dpkg status and apt preferences', async () => {
    const first = await scanRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': STATUS });
    const apt = remediationPlan(first.findings, 'rootfs', first.inv.components).steps[0]!;
    const multi = apt.groups.find((g) => g.packages.length > 1)!;
    const held = multi.packages[0]!;
    const pinned = multi.packages[1]!;
    const { inv, findings } = await scanRoot({
      'etc/os-release': OS_RELEASE,
      'var/lib/dpkg/status': holding(held),
      'etc/apt/preferences.d/stay': `Explanation: keep it\nPackage: ${pinned}\nPin: version ${'1.*'}\nPin-Priority: 1001\n`,
      // Not read: apt ignores files with other extensions in preferences.d.
      'etc/apt/preferences.d/ignored.disabled': `Package: *\nPin: release a=sid\nPin-Priority: 1001\n`,
    });
    expect(inv.components.find((c) => c.name === held)?.metadata?.held).toBe(true);
    const g = remediationPlan(findings, 'rootfs', inv.components).steps[0]!.groups.find((x) => x.package === multi.package)!;
    expect(g.notes).toEqual([
      `${held} is held (apt-mark hold): apt-get will not upgrade it until "apt-mark unhold ${held}"`,
      `${pinned} is pinned (/etc/apt/preferences.d/stay: Pin: version 1.*, Pin-Priority: 1001): the upgrade stops at the pin`,
    ]);
    expect(remediationPlan(findings, 'rootfs', inv.components).steps[0]!.groups.flatMap((x) => x.notes)).toHaveLength(2);
  });

  it('for an image, says the commands belong in its build', async () => {
    const { inv, findings } = await scanRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': STATUS });
    const plan = remediationPlan(findings, 'image', inv.components);
    expect(plan.rebuildImage).toBe(true);
    expect(renderRemediationPlan(plan)).toMatch(/^remediation \(in the image build, then rebuild and redeploy the image\):/);
  });
});

describe('remediation for Go modules compiled into a binary', () => {
  it('is a rebuild of that binary with the named versions, never go get', async () => {
    const dir = ensureGoFixtures();
    const bin = readFileSync(path.join(dir, GO_BINARIES.amd64.file));
    const { inv, findings } = await scanRoot({ 'usr/local/bin/tool': bin });
    const std = findings.filter((f) => f.component.name === 'stdlib' && f.status === 'fixed');
    expect(std.length).toBeGreaterThan(0);
    const plan = remediationPlan(findings, inv.target.kind, inv.components);
    const go = plan.steps.find((s) => s.manager === 'go')!;
    expect(go.where).toBe('/usr/local/bin/tool');
    expect(go.commands).toHaveLength(1);
    const xFix = findings.filter((f) => f.component.name === 'golang.org/x/text' && f.fixedVersion).map((f) => f.fixedVersion!);
    const mods = xFix.length ? `Go \\S+, golang\\.org\\/x\\/text v\\S+` : `Go \\S+`;
    expect(go.commands[0]).toMatch(new RegExp(`^rebuild /usr/local/bin/tool with ${mods}: the modules are compiled into the binary, so no package upgrade changes it$`));
    const x = inv.components.find((c) => c.name === 'golang.org/x/text')!;
    expect(remediation(x, '0.9.0')).toBe('rebuild /usr/local/bin/tool with golang.org/x/text v0.9.0 (go get golang.org/x/text@v0.9.0, then go build)');
    for (const f of findings) expect(f.remediation ?? '').not.toMatch(/^go get/);
  });
});

describe('pin files', () => {
  it('parses apt preferences stanzas as apt does', () => {
    const pins = parseAptPreferences('# comment\nPackage: nginx nginx-*\nPin: version 1.22*\nPin-Priority: 1001\n\nPackage: broken\nPin: release a=sid\n\nPackage: /^lib.*ssl/\nPin: origin ""\nPin-Priority: -1\n', '/etc/apt/preferences');
    expect(pins.map((p) => [p.packages, p.pin, p.priority])).toEqual([
      [['nginx', 'nginx-*'], 'version 1.22*', 1001],
      [['/^lib.*ssl/'], 'origin ""', -1],
    ]);
    expect(pinNames(pins[0]!, 'nginx-common')).toBe(true);
    expect(pinNames(pins[0]!, 'nginx2')).toBe(false);
    expect(pinNames(pins[1]!, 'libssl3')).toBe(true);
  });

  it('reads version constraints from apk world, not plain names or tags', () => {
    expect([...parseApkWorld('alpine-base\nbusybox\nopenssl=3.1.4-r0 curl<8\nnginx@edge\nmusl~1.2\n!ssl_client\n')]).toEqual([
      ['openssl', 'openssl=3.1.4-r0'],
      ['curl', 'curl<8'],
      ['musl', 'musl~1.2'],
    ]);
  });
});
