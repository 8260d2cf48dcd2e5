import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PKGDB, makeRoot, tempDir } from '../helpers/fixtures.js';
import { dpkgQueryInstalled, rootfsFixture, vigil } from '../helpers/cli.js';
import { validateCycloneDx, validateSpdx } from '../helpers/schemas.js';

interface CdxComponent {
  name: string;
  version: string;
  purl?: string;
  type: string;
  properties?: Array<{ name: string; value: string }>;
}
interface CdxDoc {
  components: CdxComponent[];
  metadata: { timestamp: string };
}

const prop = (c: CdxComponent, name: string) => c.properties?.find((p) => p.name === name)?.value;

/** The dpkg packages of a CycloneDX SBOM in dpkg-query's terms. */
function debRows(doc: CdxDoc): string[] {
  return doc.components
    .filter((c) => prop(c, 'vigil:package:foundBy') === 'dpkg')
    .map((c) => [c.name, c.version, prop(c, 'vigil:package:sourceName'), prop(c, 'vigil:package:sourceVersion')].join('\t'))
    .sort();
}

const tmp = tempDir('vigil-cli-');
afterAll(tmp.cleanup);

describe('vigil sbom on this machine', () => {
  it('lists exactly the packages dpkg-query reports as installed, in a schema-valid CycloneDX 1.6 SBOM', async () => {
    const out = path.join(tmp.dir, 'host.cdx.json');
    const res = await vigil(['sbom', '--root', '/', '--format', 'cyclonedx', '-o', out]);
    expect(res.stderr).toMatch(/components from \/ written/);
    expect(res.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as CdxDoc;
    expect(validateCycloneDx(doc)).toEqual([]);
    expect(debRows(doc)).toEqual(dpkgQueryInstalled());
  });
});

describe('vigil sbom on a debootstrap rootfs', () => {
  let rootfs = '';
  beforeAll(() => {
    rootfs = rootfsFixture();
  });

  it('lists exactly what dpkg-query reads from the rootfs database', async () => {
    const res = await vigil(['sbom', '--root', rootfs, '--format', 'cyclonedx']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as CdxDoc;
    expect(validateCycloneDx(doc)).toEqual([]);
    const expected = dpkgQueryInstalled(path.join(rootfs, 'var/lib/dpkg'));
    expect(expected.length).toBeGreaterThan(80);
    expect(debRows(doc)).toEqual(expected);
    const os = doc.components.find((c) => c.type === 'operating-system');
    expect(os?.name).toBe('debian');
    expect(doc.components.find((c) => c.name === 'libc6')?.purl).toMatch(/^pkg:deb\/debian\/libc6@[^?]+\?arch=amd64&distro=debian-12&upstream=glibc$/);
  });

  it('writes a schema-valid SPDX 2.3 document with one package per installed package', async () => {
    const res = await vigil(['sbom', '--root', rootfs, '--format', 'spdx']);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { packages: Array<{ externalRefs?: Array<{ referenceType: string; referenceLocator: string }> }> };
    expect(validateSpdx(doc)).toEqual([]);
    const purls = doc.packages.flatMap((p) => p.externalRefs ?? []).filter((r) => r.referenceType === 'purl');
    expect(purls.filter((r) => r.referenceLocator.startsWith('pkg:deb/')).length).toBe(dpkgQueryInstalled(path.join(rootfs, 'var/lib/dpkg')).length);
  });

  it.each(['cyclonedx', 'spdx', 'json'])('gives byte-identical %s output for two scans apart from timestamps', async (format) => {
    const a = await vigil(['sbom', '--root', rootfs, '--format', format, '--quiet']);
    await new Promise((r) => setTimeout(r, 1100));
    const b = await vigil(['sbom', '--root', rootfs, '--format', format, '--quiet']);
    expect(a.code).toBe(0);
    const strip = (s: string) => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');
    expect(a.stdout).not.toBe(b.stdout);
    expect(strip(a.stdout)).toBe(strip(b.stdout));
  });
});

describe('vigil sbom PATH', () => {
  it('inventories one lockfile', async () => {
    const res = await vigil(['sbom', path.join(PKGDB, 'npm/real-npm-v2/package-lock.json'), '--format', 'json']);
    expect(res.code).toBe(0);
    const inv = JSON.parse(res.stdout) as { components: Array<{ foundBy: string; name: string; version: string }>; target: { kind: string } };
    expect(inv.target.kind).toBe('path');
    expect(new Set(inv.components.map((c) => c.foundBy))).toEqual(new Set(['npm-lock']));
    expect(inv.components.find((c) => c.name === 'express')?.version).toBe('4.17.1');
  });

  it('inventories a project directory: its lockfile and its node_modules', async () => {
    const res = await vigil(['sbom', path.join(PKGDB, 'npm/real-npm-v2'), '--format', 'json']);
    expect(res.code).toBe(0);
    const inv = JSON.parse(res.stdout) as { components: Array<{ foundBy: string; name: string; version: string }> };
    const installed = new Set(inv.components.filter((c) => c.foundBy === 'npm-installed').map((c) => `${c.name}@${c.version}`));
    expect(installed.size).toBe(160);
  });

  it('inventories a jar', async () => {
    const res = await vigil(['sbom', path.join(PKGDB, 'java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar'), '--format', 'json']);
    expect(res.code).toBe(0);
    const inv = JSON.parse(res.stdout) as { components: Array<{ purl: string }> };
    expect(inv.components.map((c) => c.purl)).toContain('pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.15.0-rc2');
  });
});

describe('vigil sbom on a damaged root', () => {
  it('reports the corrupt database in the SBOM and still lists the other sources', async () => {
    const { root, cleanup } = makeRoot({
      'etc/os-release': 'ID=alpine\nVERSION_ID=3.19.1\n',
      'var/lib/dpkg/status': Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x00]),
      'lib/apk/db/installed': { copy: path.join(PKGDB, 'apk/syft-multiple-2/installed') },
      'var/lib/rpm/rpmdb.sqlite': 'this is not a database',
      'opt/app/node_modules/evil/package.json': '{"name": "evil; rm -rf /", "version": "$(reboot)"}',
    });
    try {
      const res = await vigil(['sbom', '--root', root, '--format', 'json']);
      expect(res.code).toBe(0);
      const inv = JSON.parse(res.stdout) as { components: Array<{ foundBy: string }>; problems: Array<{ path: string; message: string }> };
      expect(inv.components.filter((c) => c.foundBy === 'apk')).toHaveLength(14);
      const paths = inv.problems.map((p) => p.path);
      expect(paths).toContain('/var/lib/dpkg/status');
      expect(paths).toContain('/var/lib/rpm/rpmdb.sqlite');
      expect(paths).toContain('/opt/app/node_modules/evil/package.json');
      const cdx = await vigil(['sbom', '--root', root, '--format', 'cyclonedx', '--quiet']);
      expect(validateCycloneDx(JSON.parse(cdx.stdout))).toEqual([]);
    } finally {
      cleanup();
    }
  });
});

describe('vigil sbom errors', () => {
  it('exits 3 with one clear line for a missing path', async () => {
    const res = await vigil(['sbom', '/nonexistent/vigil-path']);
    expect(res.code).toBe(3);
    expect(res.stderr).toBe('vigil: no such file or directory: /nonexistent/vigil-path\n');
  });

  it('exits 2 for an unknown format', async () => {
    const res = await vigil(['sbom', '--format', 'xml']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--format must be one of cyclonedx, spdx, json/);
  });

  it('leaves no partial output file when the output directory is missing', async () => {
    const res = await vigil(['sbom', path.join(PKGDB, 'npm/trivy/package-lock_v1.json'), '-o', path.join(tmp.dir, 'missing-dir/out.json')]);
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/^vigil: cannot write .*out\.json/);
  });
});

describe('vigil ports', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('shows a socket this test listens on, with its process and loopback exposure', async () => {
    const res = await vigil(['ports', '--json']);
    expect(res.code).toBe(0);
    const { ports } = JSON.parse(res.stdout) as { ports: Array<{ port: number; address: string; pid?: number; exposure: string; executable?: string }> };
    const mine = ports.find((p) => p.port === port && p.address === '127.0.0.1');
    expect(mine).toMatchObject({ pid: process.pid, exposure: 'loopback', executable: process.execPath });
  });

  it('prints a table', async () => {
    const res = await vigil(['ports']);
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^PROTO\s+ADDRESS\s+EXPOSURE\s+PID\s+PROCESS\s+PACKAGE$/);
    expect(res.stdout).toContain(`127.0.0.1:${port}`);
  });
});
