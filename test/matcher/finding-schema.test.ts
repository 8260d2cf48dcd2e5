import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/matcher/finding.js';
import { validateFinding, validateHostFinding } from '../../src/matcher/finding-schema.js';
import type { HostFinding } from '../../src/server/fleet-types.js';
import { rootfsFixture, vigil } from '../helpers/cli.js';
import { PKGDB, REPO, tempDir } from '../helpers/fixtures.js';
import { appImageLayers, buildImage, buildZip } from '../helpers/images.js';
import { typeShape, type Shape } from '../helpers/ts-shape.js';

/**
 * schemas/finding.schema.json and schemas/host-finding.schema.json against the
 * TypeScript types they publish (keys, which are required, enums, doc comments, as the
 * compiler resolves them) and against every finding `vigil scan --format json` makes on
 * the fixtures the scan tests use.
 */

type Json = Record<string, unknown>;
const SCHEMAS = path.join(REPO, 'schemas');
const schemaFile = (name: string): Json => JSON.parse(readFileSync(path.join(SCHEMAS, name), 'utf8')) as Json;

/** Where each named TypeScript type is defined in the schemas. */
const DEFINED_AT: Record<string, string> = {
  Finding: 'finding.schema.json',
  SourcePackage: 'finding.schema.json#/$defs/sourcePackage',
  MatchDetail: 'finding.schema.json#/$defs/matchDetail',
  RatingCandidate: 'finding.schema.json#/$defs/ratingCandidate',
  FindingEpisode: 'host-finding.schema.json#/$defs/episode',
};
const TYPE_FILES: Record<string, string> = {
  Finding: 'src/matcher/finding.ts',
  MatchDetail: 'src/matcher/finding.ts',
  RatingCandidate: 'src/matcher/finding.ts',
  SourcePackage: 'src/common/model.ts',
  FindingEpisode: 'src/store/fleet-store.ts',
};

/** A `$ref` of `file` resolved to `file#pointer` and the node there. */
function resolve(ref: string, file: string): { at: string; node: Json } {
  const [target, pointer = ''] = ref.split('#');
  const f = target ? target : file;
  let node: unknown = schemaFile(f);
  for (const part of pointer.split('/').filter(Boolean)) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`${file}: $ref ${ref} resolves to nothing`);
  return { at: pointer ? `${f}#${pointer}` : f, node: node as Json };
}

/** Every difference between a TypeScript shape and the schema node that publishes it. */
function differences(shape: Shape, node: Json, file: string, where: string, seen = new Set<string>()): string[] {
  if (shape.kind === 'ref') {
    if (typeof node.$ref !== 'string') return [`${where}: ${shape.name} should be a $ref to ${DEFINED_AT[shape.name]}`];
    const { at, node: target } = resolve(node.$ref, file);
    if (at !== DEFINED_AT[shape.name]) return [`${where}: $ref ${node.$ref} is ${at}, not ${shape.name}'s ${DEFINED_AT[shape.name]}`];
    if (seen.has(shape.name)) return [];
    seen.add(shape.name);
    return differences(typeShape(TYPE_FILES[shape.name]!, shape.name), target, at.split('#')[0]!, shape.name, seen);
  }
  if (typeof node.$ref === 'string') {
    const { at, node: target } = resolve(node.$ref, file);
    return differences(shape, target, at.split('#')[0]!, where, seen);
  }
  const out: string[] = [];
  switch (shape.kind) {
    case 'string': {
      if (shape.templates) {
        if (node.type !== 'string' || typeof node.pattern !== 'string') return [`${where}: a union with ${shape.templates.join(', ')} should be a string with a pattern`];
        const re = new RegExp(node.pattern);
        for (const l of shape.literals ?? []) if (!re.test(l)) out.push(`${where}: pattern refuses ${l}`);
        for (const t of shape.templates) if (!re.test(t.replace(/^`|`$/g, '').replace(/\$\{string\}/g, '1'))) out.push(`${where}: pattern refuses ${t}`);
        for (const bad of ['', 'x', `${shape.literals?.[0] ?? ''}x`]) if (re.test(bad)) out.push(`${where}: pattern accepts ${JSON.stringify(bad)}`);
      } else if (shape.literals) {
        const got = Array.isArray(node.enum) ? [...(node.enum as string[])].sort() : undefined;
        if (JSON.stringify(got) !== JSON.stringify(shape.literals)) out.push(`${where}: enum ${JSON.stringify(got)} is not the type's ${JSON.stringify(shape.literals)}`);
      } else if (node.type !== 'string') out.push(`${where}: type ${String(node.type)}, not string`);
      return out;
    }
    case 'number':
      return node.type === 'number' || node.type === 'integer' ? [] : [`${where}: type ${String(node.type)}, not number`];
    case 'boolean':
      return node.type === 'boolean' ? [] : [`${where}: type ${String(node.type)}, not boolean`];
    case 'array':
      if (node.type !== 'array') return [`${where}: type ${String(node.type)}, not array`];
      return differences(shape.items, node.items as Json, file, `${where}[]`, seen);
    case 'object': {
      if (node.type !== 'object') out.push(`${where}: type ${String(node.type)}, not object`);
      if (node.additionalProperties !== false) out.push(`${where}: additionalProperties is not false`);
      const props = (node.properties ?? {}) as Record<string, Json>;
      const keys = Object.keys(shape.properties).sort();
      if (JSON.stringify(Object.keys(props).sort()) !== JSON.stringify(keys)) out.push(`${where}: properties ${Object.keys(props).sort().join(',')} are not the type's ${keys.join(',')}`);
      const required = keys.filter((k) => !shape.properties[k]!.optional);
      const got = [...((node.required as string[] | undefined) ?? [])].sort();
      if (JSON.stringify(got) !== JSON.stringify(required)) out.push(`${where}: required ${got.join(',')} is not the type's ${required.join(',')}`);
      for (const k of keys) {
        const p = props[k];
        if (!p) continue;
        const doc = shape.properties[k]!.doc;
        if (typeof p.description !== 'string' || p.description === '') out.push(`${where}.${k}: no description`);
        else if (doc && p.description !== doc) out.push(`${where}.${k}: description ${JSON.stringify(p.description)} is not the doc comment ${JSON.stringify(doc)}`);
        out.push(...differences(shape.properties[k]!.shape, p, file, `${where}.${k}`, seen));
      }
      return out;
    }
  }
}

describe('the schemas publish the TypeScript types exactly', () => {
  it('finding.schema.json is Finding: every key, which are required, every enum, the doc comments', () => {
    expect(differences(typeShape('src/matcher/finding.ts', 'Finding'), schemaFile('finding.schema.json'), 'finding.schema.json', 'Finding')).toEqual([]);
  }, 60_000);

  it('host-finding.schema.json is StoredFinding<Finding>, its finding a $ref to finding.schema.json', () => {
    const shape = typeShape('src/server/fleet-types.ts', 'HostFinding');
    expect(shape.kind === 'object' && shape.properties.finding?.shape).toEqual({ kind: 'ref', name: 'Finding' });
    expect(differences(shape, schemaFile('host-finding.schema.json'), 'host-finding.schema.json', 'HostFinding')).toEqual([]);
  }, 60_000);

  it('the comparison itself notices a missing key, a wrong required list and a wrong enum', () => {
    const schema = schemaFile('finding.schema.json');
    const props = schema.properties as Record<string, Json>;
    const broken: Json = { ...schema, required: (schema.required as string[]).filter((k) => k !== 'score'), properties: { ...props, severity: { enum: ['high'], description: 'x' } } };
    delete (broken.properties as Json).summary;
    const diff = differences(typeShape('src/matcher/finding.ts', 'Finding'), broken, 'finding.schema.json', 'Finding');
    expect(diff).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Finding: properties .* are not the type's .*summary/),
        expect.stringMatching(/^Finding: required .* is not the type's .*score/),
        expect.stringMatching(/^Finding\.severity: enum \["high"\] is not the type's \["critical","high","low","medium","negligible","unknown"\]/),
      ]),
    );
  }, 60_000);
});

/** Every optional key present, at every level: the compiler refuses this object if Finding gains a key it lacks. */
type Full<T> = T extends Array<infer U> ? Array<Full<U>> : T extends object ? { [K in keyof T]-?: Full<T[K]> } : T;

const MAXIMAL: Full<Finding> = {
  id: 'd2a6c1f0b3e94a7c:CVE-2021-23337',
  vulnerability: 'CVE-2021-23337',
  aliases: ['GHSA-35jh-r3h4-6jhm'],
  component: {
    purl: 'pkg:npm/lodash@4.17.20',
    ecosystem: 'npm',
    name: 'lodash',
    version: '4.17.20',
    locations: ['/app/package-lock.json'],
    source: { name: 'lodash', version: '4.17.20' },
    layer: 'sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1',
    cache: 'maven-local-repository',
  },
  installedVersion: '4.17.20',
  fixedVersion: '4.17.21',
  status: 'fixed',
  severity: 'high',
  severitySource: 'CVSS 3.1 7.2 by nvd@nist.gov',
  ratings: [{ kind: 'cvss', severity: 'high', label: 'CVSS 3.1 7.2 by nvd@nist.gov', from: 'osv:ghsa-npm GHSA-35jh-r3h4-6jhm', chosen: true }],
  cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', score: 7.2, source: 'nvd@nist.gov' },
  state: { state: 'disputed', source: 'nvd:nvd-disputed.json CVE-2021-23337' },
  deprioritized: 'disputed (nvd:nvd-disputed.json CVE-2021-23337)',
  scoreReasons: ['CVSS 3.1 7.2 (nvd@nist.gov)', 'KEV (added 2021-12-10)', 'in use by a running process'],
  kev: { dateAdded: '2021-12-10', dueDate: '2021-12-24', ransomware: false },
  epss: { score: 0.0123, percentile: 0.79, date: '2026-01-10' },
  exposure: 'any',
  inUse: true,
  score: 0,
  remediation: 'npm install lodash@4.17.21',
  summary: 'Command Injection in lodash',
  matches: [
    {
      source: 'osv',
      record: 'GHSA-35jh-r3h4-6jhm',
      namespace: 'npm',
      package: 'lodash',
      via: 'direct',
      comparedVersion: '4.17.20',
      scheme: 'semver',
      status: 'fixed',
      rule: '4.17.20 < fixed 4.17.21',
      fixedVersion: '4.17.21',
    },
  ],
};

/** Every key of `value` (objects, and the first item of arrays) against the schema's properties, both ways. */
function keyDifferences(value: unknown, node: Json, file: string, where: string): string[] {
  if (typeof node.$ref === 'string') {
    const r = resolve(node.$ref, file);
    return keyDifferences(value, r.node, r.at.split('#')[0]!, where);
  }
  if (Array.isArray(value)) return value.length ? keyDifferences(value[0], node.items as Json, file, `${where}/0`) : [];
  if (typeof value !== 'object' || value === null) return [];
  const props = node.properties as Record<string, Json>;
  const have = Object.keys(value).sort();
  const out = JSON.stringify(have) === JSON.stringify(Object.keys(props).sort()) ? [] : [`${where || '/'}: keys ${have.join(',')} against the schema's ${Object.keys(props).sort().join(',')}`];
  for (const [k, v] of Object.entries(value)) if (props[k]) out.push(...keyDifferences(v, props[k], file, `${where}/${k}`));
  return out;
}

describe('a maximal finding', () => {
  it('every optional field set, at every level: valid, and its keys are exactly the schema properties', () => {
    expect(validateFinding(MAXIMAL)).toEqual([]);
    expect(keyDifferences(MAXIMAL, schemaFile('finding.schema.json'), 'finding.schema.json', '')).toEqual([]);
  });

  it('each optional field can be left out, each required one cannot', () => {
    const required = new Set(schemaFile('finding.schema.json').required as string[]);
    for (const key of Object.keys(MAXIMAL)) {
      const { [key]: _gone, ...rest } = MAXIMAL as unknown as Json;
      expect(validateFinding(rest), key).toEqual(required.has(key) ? [{ pointer: '', message: `needs "${key}"` }] : []);
    }
  });
});

const tmp = tempDir('vigil-finding-schema-');
afterAll(tmp.cleanup);
const npmDb = path.join(tmp.dir, 'npm-db');
const project = path.join(PKGDB, 'npm/real-npm-v2');
/** Every finding of every scan below, by where it came from. */
const scanned = new Map<string, Finding[]>();

async function scanJson(what: string, args: string[]): Promise<Finding[]> {
  const res = await vigil(['scan', ...args, '--format', 'json', '--quiet'], { timeoutMs: 300_000 });
  expect(res.code, res.stderr).toBe(0);
  const findings = (JSON.parse(res.stdout) as { findings: Finding[] }).findings;
  scanned.set(what, findings);
  return findings;
}

beforeAll(async () => {
  const res = await vigil(['db', 'import', path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-npm'), path.join(REPO, 'data/feeds/kev'), '--db', npmDb, '--quiet']);
  expect(res.code, res.stderr).toBe(0);
}, 120_000);

describe('every finding vigil scan --format json writes validates', () => {
  it('the npm project (package-lock.json and node_modules)', async () => {
    const findings = await scanJson('npm project', [project, '--db', npmDb]);
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.flatMap((f, i) => validateFinding(f).map((e) => ({ i, ...e })))).toEqual([]);
  });

  it('a docker image and a zip package: findings with their image layer', async () => {
    mkdirSync(path.join(tmp.dir, 'img'));
    const image = buildImage(path.join(tmp.dir, 'img', 'app.tar'), { format: 'docker', layers: appImageLayers(PKGDB), repoTags: ['example/app:1.0'] });
    const inImage = await scanJson('image', ['--image', image.file, '--db', npmDb]);
    expect(inImage.some((f) => f.component.layer === image.layers[1])).toBe(true);
    const zip = buildZip(path.join(tmp.dir, 'img', 'function.zip'), [{ name: 'node_modules/lodash/package.json', text: JSON.stringify({ name: 'lodash', version: '4.17.20' }) }]);
    const inZip = await scanJson('zip', [zip, '--db', npmDb]);
    for (const f of [...inImage, ...inZip]) expect(validateFinding(f), f.id).toEqual([]);
  });

  // The bundled snapshot with the NVD and CVE 5 fixtures: CVSS vectors with their publisher, disputed records.
  const fullDb = path.join(tmp.dir, 'full-db');
  it('the debootstrap Debian 12 root against the bundled snapshot, NVD and CVE 5: source packages, ratings, CVSS, EPSS', async () => {
    const imported = await vigil(['db', 'import', path.join(REPO, 'data/feeds'), path.join(REPO, 'test/fixtures/advisories/nvd/nvd-api-page.json'), path.join(REPO, 'test/fixtures/advisories/cve5/cves'), '--db', fullDb, '--quiet'], { timeoutMs: 300_000 });
    expect(imported.code, imported.stderr).toBe(0);
    const findings = await scanJson('debian root', ['--root', rootfsFixture(), '--db', fullDb]);
    expect(findings.some((f) => f.component.source && f.ratings?.length && f.matches.some((m) => m.via === 'source'))).toBe(true);
    expect(findings.some((f) => f.cvss?.source)).toBe(true);
    for (const f of findings) expect(validateFinding(f), f.id).toEqual([]);
  }, 300_000);

  it('this live host, as vigil up scans it', async () => {
    const findings = await scanJson('live host', ['--root', '/', '--db', fullDb]);
    const invalid = findings.flatMap((f) => validateFinding(f).map((e) => `${f.id} ${e.pointer}: ${e.message}`));
    expect(invalid).toEqual([]);
    const total = [...scanned.values()].reduce((n, l) => n + l.length, 0);
    expect(total).toBeGreaterThan(100);
  }, 300_000);
});

describe('a finding that breaks the schema is refused, naming the JSON pointer', () => {
  const real = (): Finding => structuredClone(scanned.get('npm project')!.find((f) => f.vulnerability === 'CVE-2021-23337' && f.kev === undefined) ?? scanned.get('npm project')![0]!);
  const edited = (edit: (f: Json) => void): Json => {
    const f = real() as unknown as Json;
    edit(f);
    return f;
  };

  it.each<[string, (f: Json) => void, { pointer: string; message: string | RegExp }]>([
    ['an unknown key', (f) => (f.owner = 'ops'), { pointer: '/owner', message: 'is not a known key' }],
    ['an unknown key of the component', (f) => ((f.component as Json).license = 'MIT'), { pointer: '/component/license', message: 'is not a known key' }],
    ['an unknown key of a match', (f) => ((f.matches as Json[])[0]!.confidence = 1), { pointer: '/matches/0/confidence', message: 'is not a known key' }],
    ['a score that is a string', (f) => (f.score = '9.1'), { pointer: '/score', message: 'must be number' }],
    ['a score above 10', (f) => (f.score = 11), { pointer: '/score', message: 'must be <= 10' }],
    ['a severity no feed uses', (f) => (f.severity = 'severe'), { pointer: '/severity', message: 'must be one of critical, high, medium, low, negligible, unknown (got "severe")' }],
    ['an ecosystem Vigil does not have', (f) => ((f.component as Json).ecosystem = 'npmjs'), { pointer: '/component/ecosystem', message: /^must be one of deb, apk, rpm, .* \(got "npmjs"\)$/ }],
    ['a match through an unknown way', (f) => ((f.matches as Json[])[0]!.via = 'indirect'), { pointer: '/matches/0/via', message: 'must be one of direct, source (got "indirect")' }],
    ['an alias that is a number', (f) => (f.aliases = [42]), { pointer: '/aliases/0', message: 'must be string' }],
    ['inUse as text', (f) => (f.inUse = 'yes'), { pointer: '/inUse', message: 'must be boolean' }],
    ['an EPSS probability above 1', (f) => (f.epss = { score: 2, percentile: 0.5, date: '2026-01-10' }), { pointer: '/epss/score', message: 'must be <= 1' }],
    ['a KEV entry without its due date', (f) => (f.kev = { dateAdded: '2021-12-10', ransomware: false }), { pointer: '/kev', message: 'needs "dueDate"' }],
    ['a component without its purl', (f) => delete (f.component as Json).purl, { pointer: '/component', message: 'needs "purl"' }],
    ['a finding without matches', (f) => (f.matches = []), { pointer: '/matches', message: 'must NOT have fewer than 1 items' }],
  ])('%s', (_what, edit, expected) => {
    expect(validateFinding(edited(edit))).toEqual([{ pointer: expected.pointer, message: expected.message instanceof RegExp ? expect.stringMatching(expected.message) : expected.message }]);
  });

  it('a host finding: its lifecycle, episodes and finding are checked too', () => {
    const now = '2026-12-07T10:00:00.000Z';
    const host: HostFinding = { hostId: 'a-0123456789abcdef', id: real().id, status: 'ACTIVE', firstSeen: now, lastSeen: now, episode: 1, episodes: [{ episode: 1, firstSeen: now, lastSeen: now }], finding: real() };
    expect(validateHostFinding(host)).toEqual([]);
    expect(validateHostFinding({ ...host, status: 'CLOSED', closedAt: now, closeReason: 'patched-by-job:12' })).toEqual([]);
    expect(validateHostFinding({ ...host, status: 'OPEN' })).toEqual([{ pointer: '/status', message: 'must be one of ACTIVE, SUPPRESSED, CLOSED (got "OPEN")' }]);
    expect(validateHostFinding({ ...host, closeReason: 'patched-by-job:0' })).toEqual([{ pointer: '/closeReason', message: expect.stringMatching(/^must match pattern/) }]);
    expect(validateHostFinding({ ...host, lastSeen: 'yesterday' })).toEqual([{ pointer: '/lastSeen', message: 'must match format "date-time"' }]);
    expect(validateHostFinding({ ...host, episodes: [{ episode: 0, firstSeen: now, lastSeen: now, note: 'x' }] })).toEqual(
      expect.arrayContaining([
        { pointer: '/episodes/0/episode', message: 'must be >= 1' },
        { pointer: '/episodes/0/note', message: 'is not a known key' },
      ]),
    );
    expect(validateHostFinding({ ...host, finding: { ...real(), severity: 'severe', extra: true } })).toEqual(
      expect.arrayContaining([
        { pointer: '/finding/severity', message: 'must be one of critical, high, medium, low, negligible, unknown (got "severe")' },
        { pointer: '/finding/extra', message: 'is not a known key' },
      ]),
    );
  });
});
