import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Container images and zip packages built in the test with Python's tarfile and zipfile,
 * so that the archives come from an independent writer, hostile ones included.
 */

export interface MemberSpec {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  text?: string;
  /** Host file whose content the member gets. */
  copy?: string;
  /** Bytes of zeros (a gzip bomb's payload). */
  zeros?: number;
  link?: string;
}

export interface LayerSpec {
  members: MemberSpec[];
  gzip?: boolean;
  /** Keep only this many bytes of the blob; the stated digests are of the cut blob. */
  truncate?: number;
  /** State this digest for the blob instead of its own (OCI), or this diff_id (docker). */
  lie?: string;
}

export interface ImageSpec {
  format: 'docker' | 'oci';
  layers: LayerSpec[];
  repoTags?: string[];
  /** OCI only: also list an arm64 manifest in the index, first. */
  multiArch?: boolean;
  /** docker only: name layers blobs/sha256/<hex> like docker 25, not <n>/layer.tar. */
  blobNames?: boolean;
}

export interface BuiltImage {
  file: string;
  /** Digest of each layer blob, in order. */
  layers: string[];
}

const BUILD_IMAGE = String.raw`
import gzip, hashlib, io, json, sys, tarfile

spec = json.load(open(sys.argv[1]))
out = sys.argv[2]

def member_tar(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for m in members:
            ti = tarfile.TarInfo(m['name'])
            ti.mtime = 1700000000
            kind = m.get('type', 'file')
            data = None
            if kind == 'dir':
                ti.type = tarfile.DIRTYPE; ti.mode = 0o755
            elif kind == 'symlink':
                ti.type = tarfile.SYMTYPE; ti.linkname = m['link']
            elif kind == 'hardlink':
                ti.type = tarfile.LNKTYPE; ti.linkname = m['link']
            elif kind == 'fifo':
                ti.type = tarfile.FIFOTYPE
            else:
                if 'copy' in m: data = open(m['copy'], 'rb').read()
                elif 'zeros' in m: data = bytes(m['zeros'])
                else: data = m.get('text', '').encode()
                ti.size = len(data); ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()

def sha(b): return 'sha256:' + hashlib.sha256(b).hexdigest()

blobs = {}
def blob(b):
    d = sha(b); blobs['blobs/sha256/' + d[7:]] = b; return d

layers, diff_ids, descs = [], [], []
for i, l in enumerate(spec['layers']):
    raw = member_tar(l['members'])
    diff_ids.append(sha(raw))
    data = gzip.compress(raw, mtime=0) if l.get('gzip') else raw
    if 'truncate' in l:
        data = data[:l['truncate']]
        if not l.get('gzip'): diff_ids[-1] = sha(data)
    digest = sha(data)
    listed = l.get('lie', digest)
    layers.append((data, digest, listed))
    if spec['format'] == 'docker' and 'lie' in l: diff_ids[-1] = l['lie']

config = {'architecture': 'amd64', 'os': 'linux', 'created': '2024-01-02T03:04:05Z',
          'rootfs': {'type': 'layers', 'diff_ids': diff_ids}, 'config': {}}
files = {}
if spec['format'] == 'docker':
    cfg = json.dumps(config).encode()
    names = []
    for i, (data, digest, listed) in enumerate(layers):
        name = ('blobs/sha256/' + digest[7:]) if spec.get('blobNames') else ('%d/layer.tar' % i)
        files[name] = data; names.append(name)
    cfg_name = hashlib.sha256(cfg).hexdigest() + '.json'
    files[cfg_name] = cfg
    files['manifest.json'] = json.dumps([{'Config': cfg_name, 'RepoTags': spec.get('repoTags', []), 'Layers': names}]).encode()
else:
    for data, digest, listed in layers:
        blobs['blobs/sha256/' + listed[7:]] = data
        descs.append({'mediaType': 'application/vnd.oci.image.layer.v1.tar' + ('+gzip' if data[:2] == b'\x1f\x8b' else ''), 'digest': listed, 'size': len(data)})
    def manifest(cfg):
        c = blob(json.dumps(cfg).encode())
        m = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                        'config': {'mediaType': 'application/vnd.oci.image.config.v1+json', 'digest': c, 'size': len(json.dumps(cfg))},
                        'layers': descs}).encode()
        return {'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': blob(m), 'size': len(m)}
    mans = []
    if spec.get('multiArch'):
        arm = dict(config, architecture='arm64')
        mans.append(dict(manifest(arm), platform={'os': 'linux', 'architecture': 'arm64'}))
    d = dict(manifest(config), platform={'os': 'linux', 'architecture': 'amd64'})
    if spec.get('repoTags'): d['annotations'] = {'io.containerd.image.name': spec['repoTags'][0]}
    mans.append(d)
    files['oci-layout'] = b'{"imageLayoutVersion": "1.0.0"}'
    files['index.json'] = json.dumps({'schemaVersion': 2, 'manifests': mans}).encode()
    files.update(blobs)

with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:
    for name, data in files.items():
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000; ti.mode = 0o644
        t.addfile(ti, io.BytesIO(data))
print(json.dumps([digest for _, digest, _ in layers]))
`;

/** Write the image described by `spec` to `file`. */
export function buildImage(file: string, spec: ImageSpec): BuiltImage {
  const specFile = `${file}.spec.json`;
  writeFileSync(specFile, JSON.stringify(spec));
  const out = execFileSync('python3', ['-c', BUILD_IMAGE, specFile, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { file, layers: JSON.parse(out) as string[] };
}

const BUILD_ZIP = String.raw`
import json, sys, zipfile
spec = json.load(open(sys.argv[1]))
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    for m in spec:
        if m.get('type') == 'dir':
            z.writestr(m['name'].rstrip('/') + '/', b'')
        else:
            z.writestr(zipfile.ZipInfo(m['name'], (2024, 1, 2, 3, 4, 5)), open(m['copy'], 'rb').read() if 'copy' in m else m.get('text', '').encode(), zipfile.ZIP_DEFLATED)
`;

/** A zip deployment package with the given members. */
export function buildZip(file: string, members: MemberSpec[]): string {
  const specFile = path.join(path.dirname(file), `${path.basename(file)}.spec.json`);
  writeFileSync(specFile, JSON.stringify(members));
  execFileSync('python3', ['-c', BUILD_ZIP, specFile, file]);
  return file;
}

export const DEBIAN_12_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

/** The three-layer image of the tests: a Debian base, an npm app, and whiteouts over both. */
export function appImageLayers(pkgdb: string): LayerSpec[] {
  return [
    {
      members: [
        { name: 'etc', type: 'dir' },
        { name: 'etc/os-release', text: DEBIAN_12_OS_RELEASE },
        { name: 'var/lib/dpkg/status', copy: path.join(pkgdb, 'debian12-minbase-status') },
        { name: 'opt/data', type: 'dir' },
        { name: 'opt/data/old.txt', text: 'lower layer\n' },
        { name: 'opt/data/sub/deep.txt', text: 'lower layer\n' },
      ],
    },
    {
      gzip: true,
      members: [
        { name: 'app', type: 'dir' },
        { name: 'app/package-lock.json', copy: path.join(pkgdb, 'npm/real-npm-v2/package-lock.json') },
        { name: 'app/secret.txt', text: 'deleted later\n' },
        { name: 'app/link-to-lock', type: 'hardlink', link: 'app/package-lock.json' },
        { name: 'app/current', type: 'symlink', link: '/app' },
        { name: 'dev/null-fifo', type: 'fifo' },
      ],
    },
    {
      members: [
        { name: 'app/.wh.secret.txt' },
        { name: 'opt/data/.wh..wh..opq' },
        { name: 'opt/data/new.txt', text: 'upper layer\n' },
      ],
    },
  ];
}
