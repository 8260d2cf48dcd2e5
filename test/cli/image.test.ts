import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/common/model.js';
import { PKGDB, REPO, tempDir } from '../helpers/fixtures.js';
import { vigil } from '../helpers/cli.js';
import { appImageLayers, buildImage, buildZip, type BuiltImage } from '../helpers/images.js';

interface JsonFinding {
  vulnerability: string;
  aliases: string[];
  component: { name: string; version: string; locations: string[]; layer?: string };
  fixedVersion?: string;
}

const tmp = tempDir('vigil-cli-image-');
const db = path.join(tmp.dir, 'db');
afterAll(tmp.cleanup);
let docker: BuiltImage;
let oci: BuiltImage;

beforeAll(async () => {
  mkdirSync(path.join(tmp.dir, 'img'));
  docker = buildImage(path.join(tmp.dir, 'img', 'app-docker.tar'), { format: 'docker', layers: appImageLayers(PKGDB), repoTags: ['example/app:1.0'] });
  oci = buildImage(path.join(tmp.dir, 'img', 'app-oci.tar'), { format: 'oci', layers: appImageLayers(PKGDB), multiArch: true });
  const res = await vigil(['db', 'import', path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), '--db', db, '--quiet']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
});

describe('vigil scan --image', () => {
  it.each(['docker', 'oci'])('lists the lodash finding of the app layer (%s)', async (which) => {
    const img = which === 'docker' ? docker : oci;
    const res = await vigil(['scan', '--image', img.file, '--format', 'json', '--db', db]);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { target: { kind: string; path: string }; findings: JsonFinding[] };
    expect(doc.target).toEqual({ kind: 'image', path: img.file });
    const lodash = doc.findings.find((f) => f.component.name === 'lodash' && f.component.version === '4.17.20' && f.vulnerability === 'CVE-2021-23337');
    expect(lodash).toMatchObject({ fixedVersion: '4.17.21', component: { locations: ['/app/package-lock.json'] } });
    // Set by the matcher from the component's metadata.layer.
    if (lodash!.component.layer !== undefined) expect(lodash!.component.layer).toBe(img.layers[1]);
  });

  it('prints the usual table', async () => {
    const res = await vigil(['scan', '--image', docker.file, '--db', db]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^SCORE\s+SEVERITY\s+VULNERABILITY\s+PACKAGE\s+INSTALLED\s+FIXED IN/);
    expect(res.stdout).toMatch(/CVE-2021-23337\s+lodash\s+4\.17\.20/);
  });

  it('refuses --image with PATH or --root', async () => {
    const both = await vigil(['scan', '--image', docker.file, '--root', '/', '--db', db]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/only one of PATH, --root and --image/);
    const sbom = await vigil(['sbom', '--image', docker.file, tmp.dir]);
    expect(sbom.code).toBe(2);
  });

  it('fails clearly on a tampered image', async () => {
    const bad = buildImage(path.join(tmp.dir, 'img', 'bad.tar'), {
      format: 'oci',
      layers: [{ members: [{ name: 'a.txt', text: 'a' }], lie: 'sha256:' + '1'.repeat(64) }],
    });
    const res = await vigil(['scan', '--image', bad.file, '--db', db]);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/digest mismatch for layer/);
  });
});

describe('vigil sbom --image', () => {
  it('writes the inventory with the image layers and each component layer', async () => {
    const res = await vigil(['sbom', '--image', docker.file, '--format', 'json', '--quiet']);
    expect(res.code).toBe(0);
    const inv = JSON.parse(res.stdout) as Inventory;
    expect(inv.target.kind).toBe('image');
    expect(inv.image?.layers.map((l) => l.digest)).toEqual(docker.layers);
    expect(inv.image?.repoTags).toEqual(['example/app:1.0']);
    const deb = inv.components.find((c) => c.ecosystem === 'deb');
    const npm = inv.components.find((c) => c.ecosystem === 'npm' && c.name === 'lodash');
    expect(deb?.metadata?.layer).toBe(docker.layers[0]);
    expect(npm?.metadata?.layer).toBe(docker.layers[1]);
  });
});

describe('vigil scan on a zip deployment package', () => {
  it('finds lodash in node_modules inside the zip', async () => {
    const zip = buildZip(path.join(tmp.dir, 'img', 'function.zip'), [
      { name: 'index.js', text: 'exports.handler = async () => 1;\n' },
      { name: 'node_modules/lodash/package.json', text: JSON.stringify({ name: 'lodash', version: '4.17.20' }) },
    ]);
    const res = await vigil(['scan', zip, '--format', 'json', '--db', db]);
    expect(res.code).toBe(0);
    const { findings } = JSON.parse(res.stdout) as { findings: JsonFinding[] };
    const lodash = findings.find((f) => f.component.name === 'lodash' && f.vulnerability === 'CVE-2021-23337');
    expect(lodash?.component.locations).toEqual(['/node_modules/lodash/package.json']);
  });
});
