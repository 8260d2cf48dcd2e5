import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackZip } from '../../src/inventory/archive.js';
import { unpackImage } from '../../src/inventory/image.js';
import { scan } from '../../src/inventory/scan.js';
import { PKGDB, makeRoot, silentLog, tempDir } from '../helpers/fixtures.js';
import { DEBIAN_12_OS_RELEASE, appImageLayers, buildImage, buildZip, type ImageSpec } from '../helpers/images.js';

const tmp = tempDir('vigil-image-');
afterAll(tmp.cleanup);
let n = 0;
/** A fresh work dir: the image file sits in it, and `dest` two levels down so `../..` would land in it. */
function work(spec: ImageSpec) {
  const dir = path.join(tmp.dir, `w${n++}`);
  mkdirSync(dir);
  const img = buildImage(path.join(dir, 'image.tar'), spec);
  return { dir, img, dest: path.join(dir, 'a', 'b', 'rootfs') };
}

/** Everything under `dir`, without following symlinks. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      out.push(child);
      if (d.isDirectory()) visit(child);
    }
  };
  if (existsSync(dir)) visit('');
  return out.sort();
}

const debBase = makeRoot({
  'etc/os-release': DEBIAN_12_OS_RELEASE,
  'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') },
});
afterAll(debBase.cleanup);

describe.each(['docker', 'oci'] as const)('unpackImage (%s)', (format) => {
  const spec: ImageSpec = { format, layers: appImageLayers(PKGDB), repoTags: ['example/app:1.0'], multiArch: format === 'oci' };

  it('applies the layers in order with whiteouts and records the last writer of each path', async () => {
    const { img, dest } = work(spec);
    const res = await unpackImage(img.file, dest);
    expect(res.layers.map((l) => l.digest)).toEqual(img.layers);
    expect(res.config).toEqual({ os: 'linux', architecture: 'amd64', created: '2024-01-02T03:04:05Z' });
    expect(res.repoTags).toEqual(['example/app:1.0']);
    const files = tree(dest);
    expect(files).toEqual([
      'app',
      'app/current',
      'app/link-to-lock',
      'app/package-lock.json',
      'etc',
      'etc/os-release',
      'opt',
      'opt/data',
      'opt/data/new.txt',
      'var',
      'var/lib',
      'var/lib/dpkg',
      'var/lib/dpkg/status',
    ]);
    expect(readlinkSync(path.join(dest, 'app/current'))).toBe('/app');
    expect(lstatSync(path.join(dest, 'app/link-to-lock')).ino).toBe(lstatSync(path.join(dest, 'app/package-lock.json')).ino);
    expect(res.lastWriter.get('/etc/os-release')).toBe(img.layers[0]);
    expect(res.lastWriter.get('/app/package-lock.json')).toBe(img.layers[1]);
    expect(res.lastWriter.get('/opt/data/new.txt')).toBe(img.layers[2]);
    expect(res.lastWriter.has('/app/secret.txt')).toBe(false);
    expect(res.lastWriter.has('/opt/data/old.txt')).toBe(false);
    expect(res.problems).toEqual([]);
  });

  it('inventories the image: dpkg packages of the base layer, npm packages of the app layer', async () => {
    const { img } = work(spec);
    const inv = await scan({ image: img.file, log: silentLog });
    const plain = await scan({ root: debBase.root, log: silentLog });
    expect(inv.target).toEqual({ kind: 'image', path: img.file });
    expect(inv.os?.distro).toBe('debian-12');
    expect(inv.image?.layers.map((l) => l.digest)).toEqual(img.layers);
    expect(inv.image?.config.architecture).toBe('amd64');
    const debs = inv.components.filter((c) => c.ecosystem === 'deb');
    expect(debs.map((c) => c.purl)).toEqual(plain.components.filter((c) => c.ecosystem === 'deb').map((c) => c.purl));
    expect(debs.length).toBeGreaterThan(50);
    expect(debs.every((c) => c.metadata?.layer === img.layers[0])).toBe(true);
    const lodash = inv.components.find((c) => c.ecosystem === 'npm' && c.name === 'lodash' && c.version === '4.17.20');
    expect(lodash?.locations[0]).toBe('/app/package-lock.json');
    expect(lodash?.metadata?.layer).toBe(img.layers[1]);
  });
});

describe('unpackImage choices', () => {
  it('reads docker 25 archives that name layers by digest', async () => {
    const { img, dest } = work({ format: 'docker', blobNames: true, layers: appImageLayers(PKGDB) });
    const res = await unpackImage(img.file, dest);
    expect(res.layers.map((l) => l.digest)).toEqual(img.layers);
    expect(existsSync(path.join(dest, 'app/package-lock.json'))).toBe(true);
  });
});

describe('hostile images', () => {
  const outside = (dir: string) => path.join(dir, 'a', 'outside.txt');

  it('refuses members that climb out or are absolute, as problems, and writes nothing outside', async () => {
    const dir = path.join(tmp.dir, `w${n++}`);
    mkdirSync(dir);
    const abs = path.join(dir, 'abs-escape.txt');
    const img = buildImage(path.join(dir, 'image.tar'), {
      format: 'docker',
      layers: [
        {
          members: [
            { name: '../../etc/passwd', text: 'root::0:0::/:/bin/sh\n' },
            { name: abs, text: 'escaped\n' },
            { name: 'ok.txt', text: 'fine\n' },
            { name: 'hl', type: 'hardlink', link: '../../../image.tar' },
          ],
        },
      ],
    });
    const dest = path.join(dir, 'a', 'b', 'rootfs');
    const res = await unpackImage(img.file, dest);
    expect(tree(dest)).toEqual(['ok.txt']);
    expect(existsSync(path.join(dir, 'a', 'etc'))).toBe(false);
    expect(existsSync(abs)).toBe(false);
    expect(res.problems.map((p) => p.message).join('\n')).toMatch(/climbs out with '\.\.'[\s\S]*absolute member name[\s\S]*climbs out/);
  });

  it('never writes through a symlink a layer planted, in the same layer or a later one', async () => {
    const dir = path.join(tmp.dir, `w${n++}`);
    mkdirSync(path.join(dir, 'a'), { recursive: true });
    writeFileSync(outside(dir), 'original\n');
    const img = buildImage(path.join(dir, 'image.tar'), {
      format: 'oci',
      layers: [
        {
          members: [
            { name: 'escape', type: 'symlink', link: path.join(dir, 'a') },
            { name: 'escape/planted.txt', text: 'pwned\n' },
            { name: 'up', type: 'symlink', link: '../../..' },
            { name: 'file-link', type: 'symlink', link: outside(dir) },
          ],
        },
        {
          gzip: true,
          members: [
            { name: 'up/a/planted.txt', text: 'pwned\n' },
            { name: 'file-link', text: 'replaced\n' },
          ],
        },
      ],
    });
    const dest = path.join(dir, 'a', 'b', 'rootfs');
    const res = await unpackImage(img.file, dest);
    expect(readFileSync(outside(dir), 'utf8')).toBe('original\n');
    expect(existsSync(path.join(dir, 'a', 'planted.txt'))).toBe(false);
    // The later regular file replaces the symlink itself.
    expect(lstatSync(path.join(dest, 'file-link')).isFile()).toBe(true);
    expect(readFileSync(path.join(dest, 'file-link'), 'utf8')).toBe('replaced\n');
    expect(res.problems.filter((p) => /is a symlink; writing through it is refused/.test(p.message)).map((p) => p.path)).toEqual([
      '/escape/planted.txt',
      '/up/a/planted.txt',
    ]);
  });

  it('refuses a layer whose digest does not match the manifest', async () => {
    const lie = 'sha256:' + '0'.repeat(64);
    const oci = work({ format: 'oci', layers: [{ members: [{ name: 'a.txt', text: 'a' }], lie }] });
    await expect(unpackImage(oci.img.file, oci.dest)).rejects.toThrow(/digest mismatch for layer blobs\/sha256\/0{64}/);
    expect(existsSync(oci.dest)).toBe(false);
    const docker = work({ format: 'docker', layers: [{ members: [{ name: 'a.txt', text: 'a' }], gzip: true, lie }] });
    await expect(unpackImage(docker.img.file, docker.dest)).rejects.toThrow(/diff_id mismatch for layer 0\/layer.tar/);
    expect(existsSync(docker.dest)).toBe(false);
  });

  it('refuses a truncated layer, compressed or not', async () => {
    const members = [{ name: 'big.txt', text: 'x'.repeat(20_000) }];
    const plain = work({ format: 'docker', layers: [{ members, truncate: 4096 }] });
    await expect(unpackImage(plain.img.file, plain.dest)).rejects.toThrow(/corrupt or truncated/);
    const gz = work({ format: 'oci', layers: [{ members, gzip: true, truncate: 40 }] });
    await expect(unpackImage(gz.img.file, gz.dest)).rejects.toThrow(/corrupt or truncated/);
    expect(existsSync(gz.dest)).toBe(false);
  });

  it('refuses a gzip bomb over the size limit before writing anything', async () => {
    const bomb = work({ format: 'oci', layers: [{ members: [{ name: 'zeros', zeros: 32 * 1024 * 1024 }], gzip: true }] });
    expect(lstatSync(bomb.img.file).size).toBeLessThan(200_000);
    await expect(unpackImage(bomb.img.file, bomb.dest, { maxTotalBytes: 4 * 1024 * 1024 })).rejects.toThrow(/more than the remaining limit/);
    expect(existsSync(bomb.dest)).toBe(false);
  });

  it('refuses an archive that is not an image', async () => {
    const dir = path.join(tmp.dir, `w${n++}`);
    mkdirSync(dir);
    const notImage = buildImage(path.join(dir, 'x.tar'), { format: 'docker', layers: [] });
    writeFileSync(notImage.file, readFileSync(notImage.file).subarray(0, 700));
    await expect(unpackImage(notImage.file, path.join(dir, 'd'))).rejects.toThrow(/truncated|end-of-archive/);
    await expect(scan({ image: path.join(dir, 'missing.tar') })).rejects.toThrow(/no such image archive/);
  });
});

describe('zip deployment packages', () => {
  it('unpacks and inventories node_modules inside a zip', async () => {
    const dir = path.join(tmp.dir, `w${n++}`);
    mkdirSync(dir);
    const zip = buildZip(path.join(dir, 'function.zip'), [
      { name: 'index.js', text: 'exports.handler = async () => 1;\n' },
      { name: 'node_modules/lodash/package.json', text: JSON.stringify({ name: 'lodash', version: '4.17.20', license: 'MIT' }) },
      { name: '../escape.txt', text: 'no\n' },
    ]);
    const dest = path.join(dir, 'out');
    const res = await unpackZip(zip, dest);
    expect(tree(dest)).toEqual(['index.js', 'node_modules', 'node_modules/lodash', 'node_modules/lodash/package.json']);
    expect(existsSync(path.join(dir, 'escape.txt'))).toBe(false);
    expect(res.problems).toHaveLength(1);
    const inv = await scan({ path: zip, log: silentLog });
    expect(inv.target).toEqual({ kind: 'path', path: zip });
    const lodash = inv.components.find((c) => c.name === 'lodash');
    expect(lodash).toMatchObject({ ecosystem: 'npm', version: '4.17.20', locations: ['/node_modules/lodash/package.json'] });
    expect(inv.problems.some((p) => /climbs out/.test(p.message))).toBe(true);
  });
});
