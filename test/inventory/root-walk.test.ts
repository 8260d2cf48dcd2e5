import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../../src/common/model.js';
import { renderSbom } from '../../src/inventory/sbom/index.js';
import { scan } from '../../src/inventory/scan.js';
import { makeRoot, PKGDB, silentLog, type TreeSpec } from '../helpers/fixtures.js';
import { ensureGoFixtures, GO_BINARIES } from './collectors/go-fixtures.js';

/**
 * A root filesystem laid out like a real host's, walked from `/` the way `--root DIR`
 * walks it: language packages wherever they are, pseudo file systems, scratch space and
 * download caches left out, and what is found only in a cache marked.
 */

const METADATA = readFileSync(path.join(PKGDB, 'python/syft-dist-info/METADATA'));
const EGG_INFO = readFileSync(path.join(PKGDB, 'python/trivy-packaging/setuptools-51.3.3-py3.8.egg-info.PKG-INFO'));
const JAR = readFileSync(path.join(PKGDB, 'java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar'));
const PKG = (name: string, version: string) => JSON.stringify({ name, version });
const TF = '/opt/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5';
const M2 = '/root/.m2/repository/com/fasterxml/jackson/core/jackson-annotations/2.15.0-rc2/jackson-annotations-2.15.0-rc2.jar';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

let root = '';
let goBinary: Buffer;
beforeAll(() => {
  goBinary = readFileSync(path.join(ensureGoFixtures(), GO_BINARIES.stripped.file));
  const spec: TreeSpec = {
    'root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA': METADATA,
    'srv/venvs/web/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n',
    'srv/venvs/web/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA': METADATA,
    'opt/conda/envs/ml/conda-meta/history': '==> 2024-01-01 00:00:00 <==\n',
    'opt/conda/envs/ml/lib/python3.12/site-packages/setuptools-51.3.3-py3.8.egg-info/PKG-INFO': EGG_INFO,
    'home/ana/.cache/pypoetry/virtualenvs/app-py3.11/pyvenv.cfg': 'version = 3.11.2\n',
    'home/ana/.cache/pypoetry/virtualenvs/app-py3.11/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA': METADATA,
    'home/ana/.cache/yarn/v6/npm-left-pad-1.3.0-5b8a3a7765dfe001261dde915589e782f8c94d1e-integrity/node_modules/left-pad/package.json': PKG('left-pad', '1.3.0'),
    [TF.slice(1)]: goBinary,
    [M2.slice(1)]: JAR,
    'usr/share/java/jackson-annotations.jar': JAR,
    'root/.npm/_cacache/tmp/node_modules/in-npm-cache/package.json': PKG('in-npm-cache', '1.0.0'),
    'root/.npm/_npx/8f2a/node_modules/cowsay/package.json': PKG('cowsay', '1.5.0'),
    'var/cache/app/node_modules/cached/package.json': PKG('cached', '1.0.0'),
    'tmp/build/node_modules/scratch/package.json': PKG('scratch', '1.0.0'),
    'proc/1/root/node_modules/fake/package.json': PKG('fake', '1.0.0'),
    'srv/app/node_modules/express/package.json': PKG('express', '4.18.2'),
    'srv/skipme/node_modules/skipped/package.json': PKG('skipped', '1.0.0'),
    'usr/share/gocode/src/example.com/tool/go.mod': 'module example.com/tool\n\ngo 1.21\n\nrequire golang.org/x/text v0.14.0\n',
  };
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  root = r.root;
  // A merged /usr: /lib is a link to usr/lib, whose trees are listed under their real path.
  mkdirSync(path.join(root, 'usr/lib/node_modules/npm'), { recursive: true });
  execFileSync('cp', [path.join(PKGDB, 'npm/real-npm-v2/node_modules/ecdsa-sig-formatter/package.json'), path.join(root, 'usr/lib/node_modules/npm/package.json')]);
  symlinkSync('usr/lib', path.join(root, 'lib'));
});

const byName = (inv: Inventory, name: string): Component[] => inv.components.filter((c) => c.name === name);
const where = (inv: Inventory, name: string): string[] => byName(inv, name).flatMap((c) => c.locations).sort();

describe('the walk of a whole root', () => {
  let inv: Inventory;
  beforeAll(async () => {
    inv = await scan({ root, noLive: true, skipDirs: ['/srv/skipme'], log: silentLog });
  });

  it('finds Python packages in pyenv, virtualenv, conda and Poetry environments, and says which', () => {
    const envs = byName(inv, 'Pygments').map((c) => [c.locations[0], c.metadata?.pythonEnvironment, c.metadata?.pythonEnvironmentKind]);
    expect(envs).toEqual(
      expect.arrayContaining([
        ['/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA', '/root/.pyenv/versions/3.11.7', 'pyenv'],
        ['/srv/venvs/web/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA', '/srv/venvs/web', 'venv'],
        ['/home/ana/.cache/pypoetry/virtualenvs/app-py3.11/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA', '/home/ana/.cache/pypoetry/virtualenvs/app-py3.11', 'venv'],
      ]),
    );
    expect(byName(inv, 'Pygments').every((c) => c.metadata?.cache === undefined)).toBe(true);
    expect(byName(inv, 'setuptools')[0]?.metadata).toMatchObject({ pythonEnvironment: '/opt/conda/envs/ml', pythonEnvironmentKind: 'conda' });
  });

  it('probes executables whose names carry dots, such as a Terraform provider under /opt', () => {
    expect(inv.components.filter((c) => c.foundBy === 'go-binary').every((c) => c.locations.includes(TF))).toBe(true);
    expect(byName(inv, 'stdlib')).toHaveLength(1);
  });

  it("inventories the Maven local repository's jars and marks them as found only in that cache", () => {
    const jars = byName(inv, 'jackson-annotations');
    const m2 = jars.find((c) => c.locations.includes(M2))!;
    expect(m2.metadata?.cache).toBe('maven-local-repository');
    expect(jars.find((c) => c.locations.includes('/usr/share/java/jackson-annotations.jar'))!.metadata?.cache).toBeUndefined();
    const cdx = JSON.parse(renderSbom(inv, 'cyclonedx')) as { components: Array<{ properties?: Array<{ name: string; value: string }> }> };
    const cached = (at: string) => cdx.components.find((c) => c.properties?.some((p) => p.value === at))?.properties?.filter((p) => p.name === 'vigil:cache');
    expect(cached(M2)).toEqual([{ name: 'vigil:cache', value: 'maven-local-repository' }]);
    expect(cached('/usr/share/java/jackson-annotations.jar')).toEqual([]);
  });

  it('walks what npx installed, marked, and skips download caches, scratch space, pseudo file systems and --skip-dir', () => {
    expect(byName(inv, 'cowsay')[0]?.metadata?.cache).toBe('npx-cache');
    for (const n of ['in-npm-cache', 'left-pad', 'cached', 'scratch', 'fake', 'skipped']) expect(byName(inv, n)).toEqual([]);
    expect(where(inv, 'express')).toEqual(['/srv/app/node_modules/express/package.json']);
  });

  it('lists a tree reached through a symlink under its real path', () => {
    expect(where(inv, 'ecdsa-sig-formatter')).toEqual(['/usr/lib/node_modules/npm/package.json']);
  });

  it("reads go.mod files of source trees", () => {
    expect(byName(inv, 'golang.org/x/text')[0]).toMatchObject({ version: 'v0.14.0', foundBy: 'go-mod', locations: ['/usr/share/gocode/src/example.com/tool/go.mod'] });
  });

  it('walks the skipped caches when asked, marking what it finds there', async () => {
    const all = await scan({ root, noLive: true, includeCaches: true, log: silentLog });
    expect(byName(all, 'in-npm-cache')[0]?.metadata?.cache).toBe('npm-cache');
    expect(byName(all, 'cached')[0]?.metadata?.cache).toBe('system-cache');
    expect(byName(all, 'left-pad')[0]?.metadata?.cache).toBe('user-cache');
    // Environments kept inside a cache are environments, not downloads.
    expect(byName(all, 'Pygments').every((c) => c.metadata?.cache === undefined)).toBe(true);
    expect(byName(all, 'scratch')).toEqual([]);
  });

  it('walks an application root even inside what the walk leaves out', async () => {
    const withApp = await scan({ root, noLive: true, appRoots: ['/tmp/build'], log: silentLog });
    expect(where(withApp, 'scratch')).toEqual(['/tmp/build/node_modules/scratch/package.json']);
  });
});

describe.skipIf(process.getuid?.() !== 0)('mounts inside a root', () => {
  it('never enters a tmpfs or other pseudo file system mounted inside the root', async () => {
    const r = makeRoot({ 'srv/app/node_modules/real/package.json': PKG('real', '1.0.0') });
    cleanups.push(r.cleanup); // unmounts what is mounted inside before removing
    const ram = path.join(r.root, 'srv/ram');
    mkdirSync(ram, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'vigil-test', ram]);
    mkdirSync(path.join(ram, 'node_modules/inram'), { recursive: true });
    execFileSync('cp', [path.join(r.root, 'srv/app/node_modules/real/package.json'), path.join(ram, 'node_modules/inram/package.json')]);
    const inv = await scan({ root: r.root, noLive: true, log: silentLog });
    expect(inv.components.map((c) => c.locations[0])).toEqual(['/srv/app/node_modules/real/package.json']);
    // An explicit PATH is walked whole, but not into the mount either.
    const asPath = await scan({ path: path.join(r.root, 'srv'), log: silentLog });
    expect(asPath.components.map((c) => c.locations[0])).toEqual(['/app/node_modules/real/package.json']);
  });
});
