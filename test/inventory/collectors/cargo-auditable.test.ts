import { underCi } from '../../helpers/golden.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDeflate, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../../src/common/model.js';
import { lookupTargets } from '../../../src/ecosystems/index.js';
import { cargoAuditableCollector } from '../../../src/inventory/collectors/cargo-auditable.js';
import { AuditableDataError, MAX_JSON_BYTES, parseDepV0, parseDepV0Json } from '../../../src/inventory/collectors/cargo-auditable.parse.js';
import { parseCargoLock } from '../../../src/inventory/collectors/cargo-lock.parse.js';
import { cargoLockCollector } from '../../../src/inventory/collectors/cargo-lock.js';
import { scan } from '../../../src/inventory/scan.js';
import { renderSbom } from '../../../src/inventory/sbom/index.js';
import { walk } from '../../../src/inventory/walk.js';
import { REPO, makeRoot, runCollector, silentLog, tempDir } from '../../helpers/fixtures.js';

const has = (cmd: string, arg = '--version') => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const hasTools = has('cargo') && has('objcopy') && has('python3');

interface DepV0Package {
  name: string;
  version: string;
  source: string;
  kind?: string;
  dependencies?: number[];
  root?: boolean;
}

let dir = '';
const fixture = (name: string) => readFileSync(path.join(dir, name));
const cleanups: Array<() => void> = [];
let scratch = '';
beforeAll(() => {
  if (!hasTools) return;
  dir = execFileSync('bash', [path.join(REPO, 'scripts/fixtures/cargo-auditable.sh')], { encoding: 'utf8' }).trim();
  const t = tempDir('vigil-auditable-');
  cleanups.push(t.cleanup);
  scratch = t.dir;
}, 300_000);
afterAll(() => cleanups.forEach((c) => c()));

/** The fixture executable carrying `payload` as its `.dep-v0` section, added as cargo auditable's documentation does. */
let added = 0;
function withSection(payload: Buffer): Buffer {
  const n = added++;
  const section = path.join(scratch, `section-${n}`);
  const out = path.join(scratch, `bin-${n}`);
  writeFileSync(section, payload);
  execFileSync('objcopy', ['--add-section', `.dep-v0=${section}`, '--set-section-flags', '.dep-v0=noload,readonly', path.join(dir, 'app'), out]);
  return readFileSync(out);
}

async function collect(spec: Record<string, Buffer | string>) {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  const files: string[] = [];
  await walk({ root: r.root, starts: ['/'] }, (rel, base) => {
    if (cargoAuditableCollector.wants!(rel, base)) files.push(rel);
  });
  return runCollector(cargoAuditableCollector, r.root, { files });
}

/** 1 GiB of zeros through zlib, streamed: about a MiB of section. */
async function zlibBomb(): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 1024; i++) {
    if (!deflate.write(zeros)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

const rows = (cs: Component[]) => cs.map((c) => `${c.name}@${c.version} ${c.metadata?.source}`).sort();

describe.skipIf(!hasTools && !underCi())('executables with cargo auditable data', () => {
  it('reports the runtime crates of the section with the purls and sources Cargo.lock gives them', async () => {
    const json = JSON.parse(fixture('app-auditable.dep-v0.json').toString('utf8')) as { packages: DepV0Package[] };
    const res = await collect({ 'usr/local/bin/auditable-app': fixture('app-auditable') });
    expect(res.problems).toEqual([]);
    // What the section holds, less the build dependency.
    const runtime = json.packages.filter((p) => p.kind !== 'build');
    expect(runtime.map((p) => `${p.name}@${p.version}`)).toEqual(['auditable-app@0.3.1', 'idna@0.1.5', 'localdep@0.2.0']);
    expect(json.packages.find((p) => p.kind === 'build')).toMatchObject({ name: 'buildhelper', version: '1.4.0', source: 'local' });
    expect(rows(res.components)).toEqual(['auditable-app@0.3.1 path', 'idna@0.1.5 crates.io', 'localdep@0.2.0 path']);
    // The same packages of the lockfile Cargo wrote for the crate, as the Cargo.lock collector reports them.
    const lock = parseCargoLock(fixture('Cargo.lock').toString('utf8'));
    const fromLock = new Map(lock.packages.map((p) => [`${p.name}@${p.version}`, p]));
    expect([...fromLock.keys()].sort()).toEqual(json.packages.map((p) => `${p.name}@${p.version}`).sort());
    const r = makeRoot({ '/app/Cargo.lock': fixture('Cargo.lock') });
    cleanups.push(r.cleanup);
    const locked = await runCollector(cargoLockCollector, r.root, { files: ['/app/Cargo.lock'] });
    for (const c of res.components) {
      const l = locked.components.find((x) => x.name === c.name)!;
      expect(c.purl).toBe(l.purl);
      expect(c.metadata?.source).toBe(l.metadata?.source);
      expect(c).toMatchObject({ ecosystem: 'cargo', locations: ['/usr/local/bin/auditable-app'], foundBy: 'cargo-auditable' });
    }
    // And what `cargo metadata` says of the crate: every package of the section, with cargo's source.
    const meta = JSON.parse(fixture('metadata.json').toString('utf8')) as { packages: Array<{ name: string; version: string; source: string | null }> };
    expect(meta.packages.map((p) => `${p.name}@${p.version} ${p.source ?? 'local'}`).sort()).toEqual(
      json.packages.map((p) => `${p.name}@${p.version} ${p.source === 'crates.io' ? 'registry+https://github.com/rust-lang/crates.io-index' : p.source}`).sort(),
    );
    expect(res.components.find((c) => c.name === 'auditable-app')!.metadata).toEqual({ source: 'path', auditFormat: 0, root: true });
  });

  it('looks up only the crates.io crates', async () => {
    const res = await collect({ 'usr/local/bin/auditable-app': fixture('app-auditable') });
    const looked = res.components.filter((c) => lookupTargets(c, undefined).length > 0).map((c) => c.name);
    expect(looked).toEqual(['idna']);
    expect(lookupTargets(res.components.find((c) => c.name === 'idna')!, undefined)).toEqual([{ namespace: 'crates.io', package: 'idna', version: '0.1.5', scheme: 'semver', via: 'direct' }]);
  });

  it('reads auditable-serde’s documentation example: a crate of another registry, reported and not looked up', async () => {
    const res = await collect({ 'opt/tool/bin/tool': fixture('serde-doc-auditable') });
    expect(res.problems).toEqual([]);
    expect(res.components).toEqual([
      { ecosystem: 'cargo', name: 'adler', version: '0.2.3', purl: 'pkg:cargo/adler@0.2.3', locations: ['/opt/tool/bin/tool'], foundBy: 'cargo-auditable', metadata: { source: 'registry', auditFormat: 0 } },
    ]);
    expect(lookupTargets(res.components[0]!, undefined)).toEqual([]);
  });

  it('finds nothing, and no problem, in an executable without the section or in files that are not ELF', async () => {
    const res = await collect({ 'usr/bin/plain': fixture('app'), 'usr/bin/script': '#!/bin/sh\necho hi\n', 'usr/bin/tiny': 'x', 'usr/bin/empty': '' });
    expect(res).toEqual({ components: [], problems: [] });
  });

  it('reports a truncated section table, bad zlib, malformed JSON and a zlib bomb as problems naming the file', async () => {
    const good = fixture('app-auditable');
    const bomb = await zlibBomb();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const res = await collect({
      'usr/bin/good': good,
      'usr/bin/truncated': good.subarray(0, good.length - 200),
      'usr/bin/bad-zlib': withSection(Buffer.from('this is not zlib data at all')),
      'usr/bin/cut-zlib': withSection(deflateSync(fixture('app-auditable.dep-v0.json')).subarray(0, 40)),
      'usr/bin/bad-json': withSection(deflateSync('{"packages":[{"name":"idna","version":"0.1.5"')),
      'usr/bin/no-packages': withSection(deflateSync('{"crates":[]}')),
      'usr/bin/bomb': withSection(bomb),
    });
    const by = Object.fromEntries(res.problems.map((p) => [p.path, `${p.code}: ${p.message}`]));
    expect(Object.keys(by).sort()).toEqual(['bad-json', 'bad-zlib', 'bomb', 'cut-zlib', 'no-packages', 'truncated'].map((n) => `/usr/bin/${n}`));
    expect(by['/usr/bin/truncated']).toMatch(/^corrupt: unreadable ELF: section headers cannot be read, so \.dep-v0 cannot be looked for: section headers \(offset \d+, \d+ bytes\) lies outside the \d+-byte file$/);
    expect(by['/usr/bin/bad-zlib']).toMatch(/^corrupt: \.dep-v0 section is not zlib data: /);
    expect(by['/usr/bin/cut-zlib']).toMatch(/^corrupt: \.dep-v0 section is not zlib data: unexpected end of file$/);
    expect(by['/usr/bin/bad-json']).toMatch(/^corrupt: \.dep-v0 is not JSON: /);
    expect(by['/usr/bin/no-packages']).toBe('corrupt: .dep-v0 JSON has no "packages" array');
    expect(by['/usr/bin/bomb']).toBe(`too-large: .dep-v0 section inflates to more than ${MAX_JSON_BYTES} bytes`);
    expect(new Set(res.components.map((c) => c.locations.join()))).toEqual(new Set(['/usr/bin/good']));
  }, 120_000);

  it('reports a binary reached through two paths once, with both', async () => {
    const r = makeRoot({ 'usr/lib/app/auditable-app': fixture('app-auditable') });
    cleanups.push(r.cleanup);
    mkdirSync(path.join(r.root, 'usr/bin'));
    symlinkSync('../lib/app/auditable-app', path.join(r.root, 'usr/bin/app'));
    const res = await runCollector(cargoAuditableCollector, r.root, { files: ['/usr/bin/app', '/usr/lib/app/auditable-app'] });
    expect(res.problems).toEqual([]);
    expect(res.components.map((c) => c.locations)).toEqual([
      ['/usr/bin/app', '/usr/lib/app/auditable-app'],
      ['/usr/bin/app', '/usr/lib/app/auditable-app'],
      ['/usr/bin/app', '/usr/lib/app/auditable-app'],
    ]);
  });

  it('lists the crates in a scan and in the CycloneDX SBOM of a root holding the binary under /usr/local/bin', async () => {
    const r = makeRoot({ 'usr/local/bin/auditable-app': fixture('app-auditable'), 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' });
    cleanups.push(r.cleanup);
    const inv = await scan({ root: r.root, log: silentLog, noLive: true });
    const cargo = inv.components.filter((c) => c.foundBy === 'cargo-auditable');
    expect(rows(cargo)).toEqual(['auditable-app@0.3.1 path', 'idna@0.1.5 crates.io', 'localdep@0.2.0 path']);
    expect(inv.problems.filter((p) => p.collector === 'cargo-auditable')).toEqual([]);
    const sbom = JSON.parse(renderSbom(inv, 'cyclonedx')) as { components: Array<{ purl?: string }> };
    const purls = sbom.components.map((c) => c.purl);
    for (const p of ['pkg:cargo/auditable-app@0.3.1', 'pkg:cargo/idna@0.1.5', 'pkg:cargo/localdep@0.2.0']) expect(purls).toContain(p);
    expect(purls).not.toContain('pkg:cargo/buildhelper@1.4.0');
  });
});

describe('.dep-v0 JSON', () => {
  const doc = (packages: unknown[], extra = {}) => JSON.stringify({ packages, ...extra });
  const ok = { name: 'fine', version: '1.0.0', source: 'crates.io' };

  it('reads every field cargo auditable writes, and the format revision', () => {
    const res = parseDepV0Json(
      doc(
        [
          { name: 'app', version: '0.1.0', source: 'local', dependencies: [1, 2, 3], root: true },
          { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
          { name: 'g', version: '0.2.0-rc.1+meta', source: 'git' },
          { name: 'r', version: '2.0.0', source: 'sparse', kind: 'runtime' },
        ],
        { format: 1 },
      ),
    );
    expect(res.errors).toEqual([]);
    expect(res.format).toBe(1);
    expect(res.packages.map((p) => [p.name, p.source, p.recordedSource, p.kind, p.root, p.dependencies])).toEqual([
      ['app', 'path', 'local', 'runtime', true, [1, 2, 3]],
      ['cc', 'crates.io', 'crates.io', 'build', false, []],
      ['g', 'git', 'git', 'runtime', false, []],
      ['r', 'registry', 'sparse', 'runtime', false, []],
    ]);
  });

  it('refuses hostile and malformed packages one by one and keeps the good ones', () => {
    const res = parseDepV0Json(
      doc([
        ok,
        { name: '$(rm -rf /)', version: '1.0.0', source: 'crates.io' },
        { name: '../../etc/passwd', version: '1.0.0', source: 'crates.io' },
        { name: 'x'.repeat(100_000), version: '1.0.0', source: 'crates.io' },
        { name: 'evilver', version: '1.0.0 && reboot', source: 'crates.io' },
        { name: 'evilsrc', version: '1.0.0', source: 'git\u0000\nrm' },
        { name: 'nosource', version: '1.0.0' },
        { name: 'badkind', version: '1.0.0', source: 'crates.io', kind: 'dev' },
        { name: 'baddep', version: '1.0.0', source: 'crates.io', dependencies: [99] },
        { name: 'selfdep', version: '1.0.0', source: 'crates.io', dependencies: [9] },
        { name: 'badroot', version: '1.0.0', source: 'crates.io', root: 'yes' },
        { name: 7, version: '1.0.0', source: 'crates.io' },
        'not an object',
        { version: '1.0.0', source: 'crates.io' },
        { name: 'noversion', source: 'crates.io' },
        { name: 'kept', version: '0.1.0', source: 'crates.io' },
      ]),
    );
    expect(res.packages.map((p) => p.name)).toEqual(['fine', 'kept']);
    expect(res.errors).toEqual([
      'package 1: invalid package name "$(rm -rf /)"',
      'package 2: invalid package name "../../etc/passwd"',
      `package 3: invalid package name "${'x'.repeat(120)}..."`,
      'package 4 (evilver): version "1.0.0 && reboot" is not a SemVer version',
      'package 5 (evilsrc): invalid source "git\\u0000\\nrm"',
      'package 6 (nosource): no source',
      'package 7 (badkind): kind "\\"dev\\"" is neither "runtime" nor "build"',
      'package 8 (baddep): dependency "99" is not the index of another package',
      'package 9 (selfdep): dependency "9" is not the index of another package',
      'package 10 (badroot): "root" is not true or false',
      'package 11 has no name',
      'package 12 is not an object',
      'package 13 has no name',
      'package 14 (noversion): no version',
    ]);
  });

  it('says when more than one package is the root, and when the format is not a revision', () => {
    const res = parseDepV0Json(doc([{ ...ok, root: true }, { name: 'other', version: '1.0.0', source: 'local', root: true }], { format: -1 }));
    expect(res.packages).toHaveLength(2);
    expect(res.errors).toEqual(['format "-1" is not a format revision', '2 root packages (fine, other); cargo auditable records one']);
  });

  it('throws for what is not the JSON cargo auditable writes', () => {
    for (const [text, message] of [
      ['', /^\.dep-v0 is not JSON: /],
      ['[]', /^\.dep-v0 JSON is not an object$/],
      ['{"packages":{}}', /^\.dep-v0 JSON has no "packages" array$/],
    ] as const) {
      expect(() => parseDepV0Json(text)).toThrow(AuditableDataError);
      expect(() => parseDepV0Json(text)).toThrow(message);
    }
    expect(() => parseDepV0(deflateSync(Buffer.from([0xff, 0xfe, 0x7b])))).toThrow(/^\.dep-v0 JSON is not UTF-8$/);
    expect(() => parseDepV0(Buffer.alloc(8 * 1024 * 1024 + 1))).toThrow(/^\.dep-v0 section of 8388609 bytes is larger than 8388608$/);
  });
});
