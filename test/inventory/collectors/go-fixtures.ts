import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE_DIR } from '../../helpers/fixtures.js';

/**
 * Real Go executables for the go-binary tests, built once into the cache with
 * Debian's Go toolchain, offline: the main module vendors golang.org/x/text from
 * Debian's packaged sources (golang-golang-x-text-dev), plus a module replaced by
 * another module and one replaced by a local directory, committed to git so the
 * toolchain stamps VCS settings.
 */

const X_TEXT = '/usr/share/gocode/src/golang.org/x/text';
export const GO_FIXTURES_DIR = path.join(CACHE_DIR, 'go-fixtures', 'v1');

export const GO_BINARIES = {
  /** linux/amd64, 64-bit little-endian, with symbols. */
  amd64: { file: 'vigilfx-amd64', env: { GOARCH: 'amd64' }, ldflags: '' },
  /** linux/amd64 stripped with -s -w. */
  stripped: { file: 'vigilfx-amd64-stripped', env: { GOARCH: 'amd64' }, ldflags: '-s -w' },
  /** linux/mips, 32-bit big-endian. */
  mips: { file: 'vigilfx-mips', env: { GOARCH: 'mips' }, ldflags: '' },
  /** linux/ppc64, 64-bit big-endian, stripped. */
  ppc64: { file: 'vigilfx-ppc64', env: { GOARCH: 'ppc64' }, ldflags: '-s -w' },
} as const;

const GO_MOD = `module example.com/vigilfx

go 1.19

require (
	example.com/locallib v0.0.0
	example.com/oldlib v1.0.0
	golang.org/x/text v0.7.0
)

replace example.com/oldlib v1.0.0 => example.com/newlib v1.2.3

replace example.com/locallib v0.0.0 => ./locallib
`;

const MAIN = `package main

import (
	"fmt"

	"example.com/locallib"
	"example.com/oldlib"
	"golang.org/x/text/language"
)

func main() {
	fmt.Println(language.English.String(), oldlib.Name(), locallib.Name())
}
`;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** vendor/modules.txt as `go mod vendor` writes it: every vendored package listed under its module. */
function modulesTxt(): string {
  const pkgs: string[] = [];
  const visit = (dir: string, rel: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go'))) pkgs.push(rel);
    for (const e of entries) if (e.isDirectory() && e.name !== 'testdata' && !e.name.startsWith('.') && !e.name.startsWith('_')) visit(path.join(dir, e.name), `${rel}/${e.name}`);
  };
  visit(X_TEXT, 'golang.org/x/text');
  return [
    '# example.com/locallib v0.0.0 => ./locallib',
    '## explicit; go 1.19',
    'example.com/locallib',
    '# example.com/oldlib v1.0.0 => example.com/newlib v1.2.3',
    '## explicit',
    'example.com/oldlib',
    '# golang.org/x/text v0.7.0',
    '## explicit; go 1.17',
    ...pkgs.sort(),
    '',
  ].join('\n');
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Build the fixtures unless the cache already holds them; returns their directory. */
const complete = (): boolean => Object.values(GO_BINARIES).every((b) => existsSync(path.join(GO_FIXTURES_DIR, b.file)));

export function ensureGoFixtures(): string {
  if (complete()) return GO_FIXTURES_DIR;
  for (const [tool, pkg] of [['go', 'golang-go'], ['git', 'git']]) {
    try {
      execFileSync(tool!, ['version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`the go-binary tests need ${tool} (apt-get install ${pkg})`);
    }
  }
  if (!existsSync(X_TEXT)) throw new Error(`the go-binary tests need ${X_TEXT} (apt-get install golang-golang-x-text-dev)`);
  const parent = path.dirname(GO_FIXTURES_DIR);
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(path.join(parent, 'build-'));
  try {
    const src = path.join(work, 'src');
    write(path.join(src, 'go.mod'), GO_MOD);
    write(path.join(src, 'cmd/vigilfx/main.go'), MAIN);
    const lib = (name: string, value: string) => `package ${name}\n\nfunc Name() string { return "${value}" }\n`;
    write(path.join(src, 'locallib/go.mod'), 'module example.com/locallib\n\ngo 1.19\n');
    write(path.join(src, 'locallib/locallib.go'), lib('locallib', 'local'));
    write(path.join(src, 'vendor/example.com/locallib/locallib.go'), lib('locallib', 'local'));
    write(path.join(src, 'vendor/example.com/oldlib/oldlib.go'), lib('oldlib', 'newlib'));
    mkdirSync(path.join(src, 'vendor/golang.org/x'), { recursive: true });
    symlinkSync(X_TEXT, path.join(src, 'vendor/golang.org/x/text'));
    write(path.join(src, 'vendor/modules.txt'), modulesTxt());
    const git = ['-c', 'user.name=Vigil tests', '-c', 'user.email=tests@vigil.invalid', '-c', 'init.defaultBranch=main'];
    run('git', [...git, 'init', '-q'], src);
    run('git', [...git, 'add', '-A'], src);
    run('git', [...git, 'commit', '-q', '-m', 'fixture'], src);
    const out = path.join(work, 'bin');
    mkdirSync(out);
    const goEnv = {
      GOFLAGS: '-mod=vendor',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOWORK: 'off',
      GO111MODULE: 'on',
      GOENV: 'off',
      CGO_ENABLED: '0',
      GOOS: 'linux',
      GOCACHE: path.join(parent, 'gocache'),
      GOPATH: path.join(work, 'gopath'),
    };
    for (const b of Object.values(GO_BINARIES)) {
      const args = ['build', '-trimpath', ...(b.ldflags ? [`-ldflags=${b.ldflags}`] : []), '-o', path.join(out, b.file), './cmd/vigilfx'];
      run('go', args, src, { ...goEnv, ...b.env });
    }
    // Published by one rename into a name that does not exist: a complete set another
    // run published meanwhile is kept (its binaries are equivalent, and its tests may be
    // reading them); an incomplete one is moved aside first, never deleted in place.
    if (existsSync(GO_FIXTURES_DIR) && !complete()) renameSync(GO_FIXTURES_DIR, path.join(work, 'previous'));
    try {
      renameSync(out, GO_FIXTURES_DIR);
    } catch (err) {
      if (!complete()) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return GO_FIXTURES_DIR;
}

export interface GoVersionM {
  goVersion: string;
  path?: string;
  mod?: { path: string; version: string; sum?: string };
  deps: Array<{ path: string; version: string; sum?: string; replace?: { path: string; version: string; sum?: string } }>;
  build: Record<string, string>;
}

/** `go version -m` of a binary, by the real tool, split into its columns. */
export function goVersionM(binary: string): GoVersionM {
  const text = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOENV: 'off' } });
  const [first, ...lines] = text.split('\n');
  const res: GoVersionM = { goVersion: first!.slice(first!.lastIndexOf(': ') + 2).trim(), deps: [], build: {} };
  let last: GoVersionM['deps'][number] | undefined;
  for (const line of lines) {
    const [word, a = '', b = '', c = ''] = line.replace(/^\t/, '').split('\t');
    const mod = { path: a, version: b, ...(c ? { sum: c } : {}) };
    if (word === 'path') res.path = a;
    else if (word === 'mod') res.mod = mod;
    else if (word === 'dep') res.deps.push((last = { ...mod }));
    else if (word === '=>' && last) last.replace = mod;
    else if (word === 'build') res.build[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  }
  return res;
}
