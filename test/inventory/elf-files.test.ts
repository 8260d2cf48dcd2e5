import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectContext, SharedWork } from '../../src/inventory/collector.js';
import { cargoAuditableCollector } from '../../src/inventory/collectors/cargo-auditable.js';
import { goBinaryCollector } from '../../src/inventory/collectors/go-binary.js';
import { elfFiles } from '../../src/inventory/elf-files.js';
import { walk } from '../../src/inventory/walk.js';
import { makeRoot, REPO, silentLog } from '../helpers/fixtures.js';
import { ensureGoFixtures, GO_BINARIES } from './collectors/go-fixtures.js';

const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const hasCargoTools = has('cargo') && has('objcopy') && has('python3');

let goDir = '';
let cargoDir = '';
const cleanups: Array<() => void> = [];
beforeAll(() => {
  goDir = ensureGoFixtures();
  if (hasCargoTools) cargoDir = execFileSync('bash', [path.join(REPO, 'scripts/fixtures/cargo-auditable.sh')], { encoding: 'utf8' }).trim();
}, 300_000);
afterAll(() => cleanups.forEach((c) => c()));

/** A root of real Go and cargo auditable executables, damaged copies of them, an ELF of neither, a script, an alias and a symlink loop. */
async function executablesRoot(): Promise<{ root: string; files: string[] }> {
  const go = readFileSync(path.join(goDir, GO_BINARIES.amd64.file));
  const spec: Record<string, Buffer | string> = {
    'usr/bin/go-good': go,
    'usr/bin/go-stripped': readFileSync(path.join(goDir, GO_BINARIES.stripped.file)),
    'usr/bin/go-truncated': go.subarray(0, Math.floor(go.length * 0.6)),
    'usr/bin/go-header-only': go.subarray(0, 64),
    'usr/bin/true': readFileSync('/usr/bin/true'),
    'usr/bin/script': '#!/bin/sh\necho hi\n',
    'usr/bin/empty': '',
    'opt/tool/fake-elf': Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(200, 0x41)]),
  };
  if (cargoDir) {
    const app = readFileSync(path.join(cargoDir, 'app-auditable'));
    spec['usr/local/bin/auditable-app'] = app;
    spec['usr/local/bin/auditable-truncated'] = app.subarray(0, app.length - 200);
  }
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  mkdirSync(path.join(r.root, 'opt/loop/bin'), { recursive: true });
  symlinkSync('/usr/bin/go-good', path.join(r.root, 'opt/loop/bin/go-alias'));
  symlinkSync('b', path.join(r.root, 'opt/loop/bin/a'));
  symlinkSync('a', path.join(r.root, 'opt/loop/bin/b'));
  const files: string[] = [];
  await walk({ root: r.root, starts: ['/'] }, (rel, base) => {
    if (goBinaryCollector.wants!(rel, base)) files.push(rel);
  });
  // The walk leaves loops out; a list naming one still gets a problem for it.
  return { root: r.root, files: [...files, '/opt/loop/bin/a'] };
}

describe('one look at the ELF files for the collectors of executables', () => {
  it('gives each collector what it finds reading the files alone: components and problems', async () => {
    const { root, files } = await executablesRoot();
    const ctx = (extra: Partial<CollectContext> = {}): CollectContext => ({ root, files, live: false, log: silentLog, ...extra });
    const aloneGo = await goBinaryCollector.collect(ctx());
    const aloneCargo = await cargoAuditableCollector.collect(ctx());
    const shared = new SharedWork();
    const [go, cargo] = await Promise.all([goBinaryCollector.collect(ctx({ shared })), cargoAuditableCollector.collect(ctx({ shared }))]);
    expect(go).toEqual(aloneGo);
    expect(cargo).toEqual(aloneCargo);

    // The inputs really are of every kind: Go components at both paths, problems from both collectors.
    expect(new Set(go.components.map((c) => c.locations.join()))).toEqual(new Set(['/opt/loop/bin/go-alias,/usr/bin/go-good', '/usr/bin/go-stripped']));
    const goProblems = Object.fromEntries(go.problems.map((p) => [p.path, p.code]));
    expect(goProblems).toEqual({ '/opt/loop/bin/a': 'unreadable', '/usr/bin/go-truncated': 'corrupt' });
    expect(cargo.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/opt/loop/bin/a', '/usr/bin/go-header-only', ...(cargoDir ? ['/usr/local/bin/auditable-truncated'] : [])]),
    );
    if (cargoDir) expect(cargo.components.map((c) => c.name).sort()).toEqual(['auditable-app', 'idna', 'localdep']);
  }, 120_000);

  it('is done once per scan for collectors handed the same list, and again for another list', async () => {
    const { root, files } = await executablesRoot();
    const shared = new SharedWork();
    const ctx = (list: string[]): CollectContext => ({ root, files: list, live: false, log: silentLog, shared });
    const first = elfFiles(ctx(files));
    expect(elfFiles(ctx(files))).toBe(first);
    expect(elfFiles(ctx([...files]))).not.toBe(first);
    const look = await first;
    expect(look.targets.map((t) => t.target)).toEqual([...look.targets.map((t) => t.target)].sort());
    expect(look.targets.find((t) => t.target === '/usr/bin/go-good')?.paths).toEqual(['/opt/loop/bin/go-alias', '/usr/bin/go-good']);
    // Files that are not ELF are never looked at further; an ELF file too damaged for its header has none.
    expect(look.targets.map((t) => t.target)).not.toContain('/usr/bin/script');
    expect(look.targets.find((t) => t.target === '/usr/bin/go-good')?.headers?.sections).toContain('.go.buildinfo');
    expect(look.targets.find((t) => t.target === '/opt/tool/fake-elf')?.headers).toBeUndefined();
    expect(look.unresolved.map((u) => u.path)).toEqual(['/opt/loop/bin/a']);
  });
});
