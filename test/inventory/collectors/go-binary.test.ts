import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../../src/common/byte-source.js';
import type { Component } from '../../../src/common/model.js';
import { goBinaryCollector } from '../../../src/inventory/collectors/go-binary.js';
import { goUnquote, parseModInfo, probeGoBinary, stdlibVersion } from '../../../src/inventory/collectors/go-binary.parse.js';
import { walk } from '../../../src/inventory/walk.js';
import { makeRoot, runCollector } from '../../helpers/fixtures.js';
import { ensureGoFixtures, GO_BINARIES, goVersionM, type GoVersionM } from './go-fixtures.js';
import { GO_START, GO_END, makePointerElf } from './go-pointer-elf.js';

let dir = '';
const bin = (k: keyof typeof GO_BINARIES) => readFileSync(path.join(dir, GO_BINARIES[k].file));
const cleanups: Array<() => void> = [];
beforeAll(() => {
  dir = ensureGoFixtures();
});
afterAll(() => cleanups.forEach((c) => c()));

async function scan(spec: Record<string, Buffer | string>) {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  const files: string[] = [];
  await walk({ root: r.root, starts: ['/'] }, (rel, base) => {
    if (goBinaryCollector.wants!(rel, base)) files.push(rel);
  });
  return runCollector(goBinaryCollector, r.root, { files });
}

/** What Vigil should report for a binary, derived from `go version -m` with the documented rules. */
function expectedFrom(ref: GoVersionM, location: string) {
  const rows = [{ name: 'stdlib', version: stdlibVersion(ref.goVersion), sum: undefined as string | undefined }];
  if (ref.mod) rows.push({ name: ref.mod.path, version: ref.mod.version === '(devel)' ? '' : ref.mod.version, sum: ref.mod.sum });
  for (const d of ref.deps) {
    if (!d.replace) rows.push({ name: d.path, version: d.version, sum: d.sum });
    else if (d.replace.version && d.replace.version !== '(devel)') rows.push({ name: d.replace.path, version: d.replace.version, sum: d.replace.sum });
    else rows.push({ name: d.path, version: '', sum: undefined });
  }
  return rows.map((r) => ({ ...r, locations: [location] }));
}

const rowsOf = (cs: Component[]) => cs.map((c) => ({ name: c.name, version: c.version, sum: c.metadata?.sum as string | undefined, locations: c.locations }));

describe('Go executables built by the real toolchain agree with `go version -m`', () => {
  it.each(Object.keys(GO_BINARIES) as Array<keyof typeof GO_BINARIES>)('%s', async (key) => {
    const file = path.join(dir, GO_BINARIES[key].file);
    const ref = goVersionM(file);
    const res = await scan({ 'usr/local/bin/vigilfx': readFileSync(file) });
    expect(res.problems).toEqual([]);
    expect(rowsOf(res.components)).toEqual(expectedFrom(ref, '/usr/local/bin/vigilfx'));
    const main = res.components.find((c) => c.metadata?.mainModule)!;
    expect(main.metadata).toMatchObject({
      moduleVersion: ref.mod!.version,
      packagePath: ref.path,
      goos: ref.build.GOOS,
      goarch: ref.build.GOARCH,
      vcs: 'git',
      vcsRevision: ref.build['vcs.revision'],
      vcsModified: ref.build['vcs.modified'] === 'true',
    });
    expect(ref.build.GOARCH).toBe(GO_BINARIES[key].env.GOARCH);
  });

  it('names the toolchain, main module, dependencies and replacements with golang purls', async () => {
    const ref = goVersionM(path.join(dir, GO_BINARIES.amd64.file));
    const res = await scan({ 'opt/vigilfx/vigilfx': bin('amd64') });
    const byName = new Map(res.components.map((c) => [c.name, c]));
    const std = stdlibVersion(ref.goVersion);
    expect(std).toMatch(/^\d+\.\d+\.\d+/);
    expect(byName.get('stdlib')).toMatchObject({ ecosystem: 'golang', version: std, purl: `pkg:golang/stdlib@${std}`, metadata: { goVersion: ref.goVersion } });
    expect(byName.get('example.com/vigilfx')).toMatchObject({ version: '', purl: 'pkg:golang/example.com/vigilfx', metadata: { moduleVersion: '(devel)', mainModule: true } });
    expect(byName.get('golang.org/x/text')).toMatchObject({ version: 'v0.7.0', purl: 'pkg:golang/golang.org/x/text@v0.7.0', foundBy: 'go-binary' });
    expect(byName.get('example.com/newlib')).toMatchObject({ version: 'v1.2.3', purl: 'pkg:golang/example.com/newlib@v1.2.3', metadata: { replaces: 'example.com/oldlib', requiredVersion: 'v1.0.0' } });
    expect(byName.get('example.com/locallib')).toMatchObject({ version: '', purl: 'pkg:golang/example.com/locallib', metadata: { replacement: './locallib', requiredVersion: 'v0.0.0' } });
    expect(byName.has('example.com/oldlib')).toBe(false);
  });
});

describe('go-binary collector input handling', () => {
  const magicAt = (buf: Buffer) => buf.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));

  it('skips files that are not Go executables without a problem', async () => {
    const res = await scan({
      'usr/bin/true': readFileSync('/usr/bin/true'),
      'usr/bin/script': '#!/bin/sh\necho hi\n',
      'usr/bin/empty': '',
      'usr/sbin/garbage': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)),
      'opt/tool/fake-elf': Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(200, 0x41)]),
      'opt/tool/README': 'text',
    });
    expect(res).toEqual({ components: [], problems: [] });
  });

  it('reports truncated and corrupt Go executables as problems and still reads the good one', async () => {
    const good = bin('amd64');
    const at = magicAt(good);
    const flipped = Buffer.from(good);
    flipped[at + 3] = flipped[at + 3]! ^ 0xff;
    const hugeVersion = Buffer.from(good);
    Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]).copy(hugeVersion, at + 32);
    const versionLen = good[at + 32]!;
    const hugeModinfo = Buffer.from(good);
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).copy(hugeModinfo, at + 33 + versionLen);
    const endless = Buffer.from(good);
    endless.fill(0xff, at + 32, at + 32 + 12);
    const pointerOutside = Buffer.from(good);
    pointerOutside[at + 15] = 0; // pointer format with pointers that are zero: unmapped
    const res = await scan({
      'usr/bin/good': good,
      'usr/bin/truncated': good.subarray(0, Math.floor(good.length * 0.6)),
      'usr/bin/truncated-after-header': good.subarray(0, at + 40),
      'usr/bin/flipped-magic': flipped,
      'usr/bin/huge-version-length': hugeVersion,
      'usr/bin/huge-modinfo-length': hugeModinfo,
      'usr/bin/endless-varint': endless,
      'usr/bin/bad-pointers': pointerOutside,
    });
    const problems = Object.fromEntries(res.problems.map((p) => [p.path, `${p.code}: ${p.message}`]));
    expect(Object.keys(problems).sort()).toEqual(
      ['bad-pointers', 'endless-varint', 'flipped-magic', 'huge-modinfo-length', 'huge-version-length', 'truncated', 'truncated-after-header'].map((n) => `/usr/bin/${n}`),
    );
    expect(problems['/usr/bin/truncated']).toMatch(/^corrupt: .*(outside|truncated)/);
    expect(problems['/usr/bin/truncated-after-header']).toMatch(/^corrupt: .*runs past the end of the file/);
    expect(problems['/usr/bin/flipped-magic']).toMatch(/^corrupt: the \.go\.buildinfo section does not hold the Go build information header/);
    expect(problems['/usr/bin/huge-version-length']).toMatch(/^corrupt: .*Go version claims 4611686018427387904 bytes, more than the 1024-byte limit/);
    expect(problems['/usr/bin/huge-modinfo-length']).toMatch(/^corrupt: .*module information claims \d+ bytes, more than the 16777216-byte limit/);
    expect(problems['/usr/bin/endless-varint']).toMatch(/^corrupt: .*not a valid varint/);
    expect(problems['/usr/bin/bad-pointers']).toMatch(/^corrupt: .*address 0x0 is not in any loadable segment/);
    expect(new Set(res.components.map((c) => c.locations.join()))).toEqual(new Set(['/usr/bin/good']));
  });

  it('wants files in bin directories and extensionless files outside documentation trees', () => {
    const w = (p: string) => goBinaryCollector.wants!(p, path.posix.basename(p));
    expect(['/usr/bin/kubectl', '/usr/local/sbin/x.sh', '/opt/app/prometheus', '/usr/libexec/docker/cli-plugins/docker-compose', '/app/server'].every(w)).toBe(true);
    expect(['/usr/share/zoneinfo/UTC', '/etc/hostname', '/opt/app/config.yaml', '/usr/lib/x86_64-linux-gnu/libc.so.6'].some(w)).toBe(false);
    // What after the last dot names a file type: a letter, then up to seven letters or digits, in any case.
    expect(['/opt/a/tool.BIN', '/opt/a/tool.2v', '/opt/a/tool_1.2', '/opt/a/tool.abcdefghi', '/opt/a/tool.x-y', '/opt/a/tool.', '/opt/a/x.so.1.2a'].every(w)).toBe(true);
    expect(['/opt/a/notes.TXT', '/opt/a/data.abcdefgh', '/opt/a/a.b2', '/opt/a/libx.so', '/opt/a/libx.so.1.2', '/opt/a/.hidden'].some(w)).toBe(false);
  });

  it('reports a binary reached through two paths once, with both', async () => {
    const r = makeRoot({ 'usr/bin/vigilfx': bin('stripped') });
    cleanups.push(r.cleanup);
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/usr/bin/vigilfx', path.join(r.root, 'usr/bin/vigilfx-alias'));
    const res = await runCollector(goBinaryCollector, r.root, { files: ['/usr/bin/vigilfx', '/usr/bin/vigilfx-alias'] });
    expect(res.components.length).toBeGreaterThan(3);
    for (const c of res.components) expect(c.locations).toEqual(['/usr/bin/vigilfx', '/usr/bin/vigilfx-alias']);
  });
});

describe('pre-1.18 pointer format', () => {
  const modinfo = 'path\texample.com/old/cmd\nmod\texample.com/old\t(devel)\t\ndep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n';
  for (const [bits, le] of [[32, false], [64, true], [64, false], [32, true]] as const) {
    it(`reads ${bits}-bit ${le ? 'little' : 'big'}-endian executables`, async () => {
      const elf = makePointerElf({ bits, le, goVersion: 'go1.16.15', modinfo: Buffer.concat([GO_START, Buffer.from(modinfo), GO_END]) });
      const probe = await probeGoBinary(bufferSource(elf));
      expect(probe).toEqual({ kind: 'go', goVersion: 'go1.16.15', modinfo, format: 'pointer' });
      const res = await scan({ 'usr/bin/old': elf });
      expect(res.components.map((c) => c.purl)).toEqual(['pkg:golang/stdlib@1.16.15', 'pkg:golang/example.com/old', 'pkg:golang/github.com/pkg/errors@v0.9.1']);
    });
  }

  it('treats module text without sentinels as no module information', async () => {
    const probe = await probeGoBinary(bufferSource(makePointerElf({ bits: 64, le: true, goVersion: 'go1.13', modinfo: 'path\tx\n' })));
    expect(probe).toEqual({ kind: 'go', goVersion: 'go1.13', modinfo: '', format: 'pointer' });
  });
});

describe('module information text', () => {
  it('parses quoted build settings, replacements and records bad lines without stopping', () => {
    const info = parseModInfo(
      [
        'path\tx/cmd',
        'mod\tx\tv1.0.0\th1:abc=',
        'dep\ta\tv1',
        '=>\tb\tv2\th1:def=',
        '',
        'dep\tonly-one-column',
        '=>\torphan\tv0\t',
        'build\t-ldflags="-s -w -X \\"main.v=1\\""',
        'build\t"odd key"=`raw\\value`',
        'build\tGOOS=linux',
        'build\tnoequals',
        'future\tsomething new',
        '',
      ].join('\n'),
    );
    expect(info.path).toBe('x/cmd');
    expect(info.main).toEqual({ path: 'x', version: 'v1.0.0', sum: 'h1:abc=' });
    expect(info.deps).toEqual([{ path: 'a', version: 'v1', replace: { path: 'b', version: 'v2', sum: 'h1:def=' } }]);
    expect(info.settings).toEqual([
      ['-ldflags', '-s -w -X "main.v=1"'],
      ['odd key', 'raw\\value'],
      ['GOOS', 'linux'],
    ]);
    expect(info.errors).toEqual(['line 6: expected 2 or 3 columns, got 1', 'line 7: replacement without a module on the previous line', "line 11: build line without 'key='"]);
  });

  it.each([
    ['go1.19.8', '1.19.8'],
    ['go1.20', '1.20.0'],
    ['go1.21rc2', '1.21.0-rc.2'],
    ['go1.18beta1', '1.18.0-beta.1'],
    ['go1.22.0 X:boringcrypto', '1.22.0'],
    ['go1', '1.0.0'],
    ['devel go1.23-abcdef Tue', ''],
  ])('stdlib version of %s is %s', (go, want) => expect(stdlibVersion(go)).toBe(want));

  it('unquotes Go string literals', () => {
    expect(goUnquote('"a\\tb\\x41\\u00e9\\101\\"q\\""')).toBe('a\tbAéA"q"');
    expect(goUnquote('"\\xc3\\xa9"')).toBe('é');
    expect(goUnquote('"bad\\q"')).toBeUndefined();
    expect(goUnquote('"dangling\\"')).toBeUndefined();
  });
});
