import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../../src/common/byte-source.js';
import type { Component } from '../../../src/common/model.js';
import { ZipArchive } from '../../../src/common/zip.js';
import { javaArchiveCollector } from '../../../src/inventory/collectors/java-archive.js';
import {
  coordinatesFromPom,
  identifyFromManifest,
  parseArchiveName,
  parseManifest,
  parseProperties,
} from '../../../src/inventory/collectors/java-archive.parse.js';
import { walk } from '../../../src/inventory/walk.js';
import { makeZip, type ZipInput } from '../../common/make-zip.js';
import { PKGDB, makeRoot, runCollector, tempDir } from '../../helpers/fixtures.js';

const JAVA = path.join(PKGDB, 'java');
const JACKSON = path.join(JAVA, 'jars/jackson-annotations-2.15.0-rc2.metadata-only.jar');
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
const work = tempDir('vigil-java-');
cleanups.push(work.cleanup);

/** Scan a root the way a real scan does: walk it, keep what the collector wants. */
async function scan(spec: Record<string, Buffer | string | { copy: string }>, links: Record<string, string> = {}) {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  for (const [from, to] of Object.entries(links)) symlinkSync(to, path.join(r.root, from));
  const files: string[] = [];
  await walk({ root: r.root, starts: ['/'] }, (rel, base) => {
    if (javaArchiveCollector.wants!(rel, base)) files.push(rel);
  });
  return { ...(await runCollector(javaArchiveCollector, r.root, { files })), root: r.root };
}

const brief = (c: Component) => ({ purl: c.purl, locations: c.locations, main: c.metadata?.main });

/** The JDK's own Properties.load and Manifest, as the reference for the parsers. */
function javaReference(kind: 'properties' | 'manifest', files: string[]): Array<Record<string, string>> {
  const src = path.join(work.dir, 'Ref.java');
  writeFileSync(src, `import java.io.*; import java.util.*; import java.util.jar.*;
public class Ref {
  static String q(String s) { StringBuilder b = new StringBuilder("\\"");
    for (char c : s.toCharArray()) { if (c == '"' || c == '\\\\') b.append('\\\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\\\u%04x", (int) c)); else b.append(c); }
    return b.append('"').toString(); }
  public static void main(String[] a) throws Exception {
    List<String> out = new ArrayList<>();
    for (int i = 1; i < a.length; i++) { Map<String, String> m = new TreeMap<>();
      try (InputStream in = new FileInputStream(a[i])) {
        if (a[0].equals("properties")) { Properties p = new Properties(); p.load(in); for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k)); }
        else { Attributes at = new Manifest(in).getMainAttributes(); for (Object k : at.keySet()) m.put(k.toString(), at.getValue((Attributes.Name) k)); } }
      List<String> kv = new ArrayList<>(); for (Map.Entry<String, String> e : m.entrySet()) kv.add(q(e.getKey()) + ":" + q(e.getValue()));
      out.add("{" + String.join(",", kv) + "}"); }
    System.out.println("[" + String.join(",", out) + "]"); } }
`);
  return JSON.parse(execFileSync('java', [src, kind, ...files], { encoding: 'utf8' }));
}

const sorted = (m: Map<string, string> | Record<string, string>) => Object.fromEntries(Object.entries(m instanceof Map ? Object.fromEntries(m) : m).sort());

describe('pom.properties follow java.util.Properties', () => {
  const fixtures = readdirSync(path.join(JAVA, 'pom-properties')).map((f) => path.join(JAVA, 'pom-properties', f));
  const handmade: Record<string, string> = {
    'escapes.properties':
      '# comment\r\n! also a comment \\\nversion=not continued\n  groupId = org.example\\\n    .deep\nartifactId:lib\\u002Dcore\nkey\\ with\\ spaces value\\tafter tab\nkey:=value\nonly-key\nempty=\nsep   :  spaced\ntrailing=ends here\\',
    'crlf-and-cr.properties': 'groupId=g\r\nartifactId=a\rversion=1\\\r\n  .2\n',
    'latin1.properties': Buffer.from('name=caf\xe9\nversion=1.0\\u00e9\n', 'latin1').toString('latin1'),
  };
  for (const [name, text] of Object.entries(handmade)) {
    const f = path.join(work.dir, name);
    writeFileSync(f, Buffer.from(text, 'latin1'));
    fixtures.push(f);
  }

  it('parse every fixture and hand-made variant exactly as the JDK does', () => {
    const expected = javaReference('properties', fixtures);
    const ours = fixtures.map((f) => sorted(parseProperties(readFileSync(f, 'latin1'))));
    expect(ours).toEqual(expected);
  });

  it.each([
    ['small', 'org.anchore', 'example-java-app-maven', '0.1.0'],
    ['extra', 'org.anchore', 'example-java-app-maven', '0.1.0'],
    ['colon-delimited', 'org.anchore', 'example-java-app-maven', '0.1.0'],
    // Only the first separator splits: the rest belongs to the value.
    ['colon-delimited-with-equals', 'org.anchore', 'example-java=app-maven', '0.1.0=something'],
    ['equals-delimited-with-colons', 'org.anchore', 'example-java:app-maven', '0.1.0:something'],
  ])('%s gives %s:%s:%s', (name, groupId, artifactId, version) => {
    const props = parseProperties(readFileSync(path.join(JAVA, 'pom-properties', `${name}.pom.properties`), 'latin1'));
    expect(coordinatesFromPom(props, `META-INF/maven/${groupId}/x/pom.properties`)).toEqual({ groupId, artifactId, version });
  });
});

describe('MANIFEST.MF follows java.util.jar.Manifest', () => {
  it('matches the main attributes the JDK reads, including continuations split inside UTF-8 characters', async () => {
    const zip = await ZipArchive.open(bufferSource(readFileSync(JACKSON)));
    const jackson = await zip.read(zip.find('META-INF/MANIFEST.MF')!);
    const long = 'Implementation-Title: ' + 'Zürich Ünïcödé library with a title long enough to wrap twice over';
    const bytes = Buffer.from(long, 'utf8');
    const wrapped = Buffer.concat([bytes.subarray(0, 71), Buffer.from('\r\n '), bytes.subarray(71, 141), Buffer.from('\r\n '), bytes.subarray(141)]);
    const cases = {
      'jackson.MF': jackson,
      'wrapped.MF': Buffer.concat([Buffer.from('Manifest-Version: 1.0\r\n'), wrapped, Buffer.from('\r\nImplementation-Version: 3.0\r\n\r\nName: a/B.class\r\nSHA-256-Digest: abc=\r\n\r\n')]),
      'lf-only.MF': Buffer.from('Manifest-Version: 1.0\nBundle-SymbolicName: org.x.y;singleton:=true\nBundle-Version: 1.2.3.v2020\n'),
    };
    const files = Object.entries(cases).map(([name, data]) => {
      writeFileSync(path.join(work.dir, name), data);
      return path.join(work.dir, name);
    });
    const expected = javaReference('manifest', files);
    expect(Object.values(cases).map((d) => sorted(parseManifest(d).main))).toEqual(expected);
    expect(parseManifest(cases['wrapped.MF']).sections).toEqual([{ Name: 'a/B.class', 'SHA-256-Digest': 'abc=' }]);
  });

  it('gives the attributes recorded in the jackson expectation', async () => {
    const exp = JSON.parse(readFileSync(JACKSON.replace(/\.jar$/, '.expected.json'), 'utf8'));
    const zip = await ZipArchive.open(bufferSource(readFileSync(JACKSON)));
    const main = parseManifest(await zip.read(zip.find('META-INF/MANIFEST.MF')!)).main;
    for (const [k, v] of Object.entries(exp.manifest)) expect(main[k], k).toBe(v);
  });
});

describe('archive file names', () => {
  it.each([
    ['commons-lang3-3.12.0.jar', 'commons-lang3', '3.12.0', undefined],
    ['log4j-1.2-api-2.17.1.jar', 'log4j-1.2-api', '2.17.1', undefined],
    ['guava-31.1-jre.jar', 'guava', '31.1-jre', undefined],
    ['maven-core-2.0-alpha-3.jar', 'maven-core', '2.0-alpha-3', undefined],
    ['api-all-2.0.0-sources.jar', 'api-all', '2.0.0', 'sources'],
    ['netty-all-4.1.100.Final.jar', 'netty-all', '4.1.100.Final', undefined],
    ['app-1.0-20230101.123456-1.war', 'app', '1.0-20230101.123456-1', undefined],
    ['org.multiple-thename.jar', 'org.multiple-thename', undefined, undefined],
    ['commons-lang3.jar', 'commons-lang3', undefined, undefined],
  ])('%s is %s %s', (file, name, version, classifier) => {
    const n = parseArchiveName(file);
    expect([n.name, n.version, n.classifier]).toEqual([name, version, classifier]);
  });
});

describe('java archive collector', () => {
  it('reports the jackson jar exactly as its expectation says', async () => {
    const exp = JSON.parse(readFileSync(JACKSON.replace(/\.jar$/, '.expected.json'), 'utf8'));
    const res = await scan({ 'opt/app/jackson-annotations-2.15.0-rc2.jar': { copy: JACKSON } });
    expect(res.problems).toEqual([]);
    expect(res.components).toEqual([
      {
        ecosystem: 'maven',
        namespace: exp.expected_package.groupId,
        name: exp.expected_package.artifactId,
        version: exp.expected_package.version,
        purl: exp.expected_package.purl,
        locations: ['/opt/app/jackson-annotations-2.15.0-rc2.jar'],
        foundBy: 'java-archive',
        metadata: { evidence: 'pom.properties', pomProperties: Object.keys(exp.pom_properties)[0], main: true },
      },
    ]);
  });

  it('reports every pom.properties of the syft jar-metadata trees, zipped into real jars', async () => {
    const spec: Record<string, { copy: string }> = {};
    for (const name of ['multiple-matching-2.11.5', 'api-all-2.0.0-sources', 'org.multiple-thename', 'opensaml-core-3.4.6']) {
      const jar = path.join(work.dir, `${name}.jar`);
      execFileSync('python3', ['-m', 'zipfile', '-c', jar, 'META-INF'], { cwd: path.join(JAVA, 'jar-metadata', name) });
      spec[`lib/${name}.jar`] = { copy: jar };
    }
    spec['lib/thename-10.11.12.jar'] = spec['lib/org.multiple-thename.jar']!;
    const res = await scan(spec);
    expect(res.problems).toEqual([]);
    expect(res.components.map(brief)).toEqual([
      // The file is named after api-all; api-asn1-api is shaded in.
      { purl: 'pkg:maven/org.apache.directory.api/api-all@2.0.0', locations: ['/lib/api-all-2.0.0-sources.jar'], main: true },
      { purl: 'pkg:maven/org.apache.directory.api/api-asn1-api@2.0.0', locations: ['/lib/api-all-2.0.0-sources.jar'], main: false },
      // No artifact is named "multiple-matching": a prefix match would be a guess, so none is the main one, and
      // the archive itself is identified by its name, with low confidence.
      { purl: 'pkg:maven/org.multiple/multiple-matching-1@2.11.5', locations: ['/lib/multiple-matching-2.11.5.jar'], main: false },
      { purl: 'pkg:maven/org.multiple/multiple-matching-2@2.11.5', locations: ['/lib/multiple-matching-2.11.5.jar'], main: false },
      { purl: 'pkg:maven/org.multiple/multiple-matching-3@2.11.5', locations: ['/lib/multiple-matching-2.11.5.jar'], main: false },
      { purl: 'pkg:maven/multiple-matching@2.11.5', locations: ['/lib/multiple-matching-2.11.5.jar'], main: true },
      { purl: 'pkg:maven/org.opensaml/opensaml-core@3.4.6', locations: ['/lib/opensaml-core-3.4.6.jar'], main: true },
      // Same artifact id in two groups: the file name spells out org.multiple.
      { purl: 'pkg:maven/com.multiple/thename@10.11.12', locations: ['/lib/org.multiple-thename.jar'], main: false },
      { purl: 'pkg:maven/org.multiple/thename@10.11.12', locations: ['/lib/org.multiple-thename.jar'], main: true },
      // Named after both: which group is the archive's own is unknown, and no third, group-less identity is made up.
      { purl: 'pkg:maven/com.multiple/thename@10.11.12', locations: ['/lib/thename-10.11.12.jar'], main: false },
      { purl: 'pkg:maven/org.multiple/thename@10.11.12', locations: ['/lib/thename-10.11.12.jar'], main: false },
    ]);
  });

  const pom = (g: string, a: string, v: string): ZipInput => ({ name: `META-INF/maven/${g}/${a}/pom.properties`, data: `groupId=${g}\nartifactId=${a}\nversion=${v}\n`, deflate: true });

  it('opens nested archives in memory, war in ear, jars in war and jar', async () => {
    const deep = makeZip([pom('org.deep', 'deep', '0.1')]);
    const inner = makeZip([pom('org.inner', 'inner', '1.0'), { name: 'lib/deep-0.1.jar', data: deep }]);
    const manifestOnly = makeZip([{ name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.legacy\r\nImplementation-Version: 2.3\r\n\r\n' }]);
    const war = makeZip([
      { name: 'WEB-INF/web.xml', data: '<web-app/>' },
      { name: 'WEB-INF/lib/inner-1.0.jar', data: inner },
      { name: 'WEB-INF/lib/legacy-2.3.jar', data: manifestOnly, deflate: true },
      pom('org.app', 'shop', '5.0'),
    ]);
    const ear = makeZip([{ name: 'shop.war', data: war }, { name: 'lib/boot-3.jar', data: makeZip([pom('org.boot', 'boot', '3')]) }]);
    const res = await scan({ 'srv/shop.ear': ear });
    expect(res.problems).toEqual([]);
    expect(res.components.map((c) => `${c.purl} ${c.locations.join(',')} ${c.metadata?.evidence}`)).toEqual([
      'pkg:maven/org.boot/boot@3 /srv/shop.ear:lib/boot-3.jar pom.properties',
      'pkg:maven/org.app/shop@5.0 /srv/shop.ear:shop.war pom.properties',
      'pkg:maven/org.inner/inner@1.0 /srv/shop.ear:shop.war:WEB-INF/lib/inner-1.0.jar pom.properties',
      'pkg:maven/org.deep/deep@0.1 /srv/shop.ear:shop.war:WEB-INF/lib/inner-1.0.jar:lib/deep-0.1.jar pom.properties',
      'pkg:maven/org.legacy/legacy@2.3 /srv/shop.ear:shop.war:WEB-INF/lib/legacy-2.3.jar manifest',
    ]);
    // The ear itself has neither pom.properties, a manifest nor a version in its name: nothing to match, not reported.
    expect(res.components.find((c) => c.locations[0] === '/srv/shop.ear')).toBeUndefined();
  });

  it('falls back to the manifest, then to the file name, marking both low confidence', async () => {
    const jackson = await ZipArchive.open(bufferSource(readFileSync(JACKSON)));
    const withoutPom: ZipInput[] = [];
    for (const e of jackson.entries) if (!e.name.endsWith('pom.properties')) withoutPom.push({ name: e.name, data: await jackson.read(e), deflate: true });
    const hpi = makeZip([{ name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nGroup-Id: org.jenkins-ci.plugins\r\nShort-Name: gradle\r\nPlugin-Version: 2.11\r\nImplementation-Version: 2.11\r\n\r\n' }]);
    const res = await scan({
      'opt/jackson-annotations.jar': makeZip(withoutPom),
      'opt/mystery-lib-4.5.6.jar': makeZip([{ name: 'a/A.class', data: 'cafebabe' }]),
      'var/lib/jenkins/plugins/gradle.hpi': hpi,
    });
    expect(res.problems).toEqual([]);
    expect(res.components.map((c) => ({ purl: c.purl, ...c.metadata }))).toEqual([
      { purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.15.0-rc2', evidence: 'manifest', lowConfidence: true, main: true, versionSource: 'Implementation-Version' },
      { purl: 'pkg:maven/mystery-lib@4.5.6', evidence: 'filename', lowConfidence: true, main: true, versionSource: 'filename' },
      { purl: 'pkg:maven/org.jenkins-ci.plugins/gradle@2.11', evidence: 'manifest', lowConfidence: true, main: true, versionSource: 'Plugin-Version' },
    ]);
  });

  it.each([
    // Stale hand-kept manifest version: the file name, from the coordinates, wins and the manifest's is kept aside.
    ['commons-beanutils-1.7.0.jar', { 'Implementation-Version': '1.6' }, { artifactId: 'commons-beanutils', version: '1.7.0', versionSource: 'filename', manifestVersion: '1.6' }],
    // Unexpanded build placeholders and quotes are not versions.
    ['json-path.jar', { 'Implementation-Version': "task ':json-path:jar' property 'archiveVersion'", 'Bundle-Version': '2.10.0' }, { artifactId: 'json-path', version: '2.10.0', versionSource: 'Bundle-Version' }],
    ['commons-digester.jar', { 'Implementation-Version': '"1.6"' }, { artifactId: 'commons-digester', version: '1.6', versionSource: 'Implementation-Version' }],
    // A symbolic name ending in the artifact id is group + "." + artifact, or the group itself (caffeine's is
    // com.github.ben-manes.caffeine:caffeine): too ambiguous to guess a group from.
    ['caffeine-3.1.8.jar', { 'Bundle-SymbolicName': 'com.github.ben-manes.caffeine' }, { artifactId: 'caffeine', version: '3.1.8', versionSource: 'filename' }],
    ['thing.jar', { 'Bundle-SymbolicName': 'org.example.thing;singleton:=true', 'Bundle-Version': '1.0.0.v2020' }, { artifactId: 'org.example.thing', version: '1.0.0.v2020', versionSource: 'Bundle-Version' }],
  ])('identifies %s from its manifest and name', (file, main, want) => {
    const { evidence: _evidence, ...id } = identifyFromManifest(main, parseArchiveName(file));
    expect(id).toEqual(want);
  });

  it('reports a jar reached through symlinks once, with every path', async () => {
    const res = await scan({ 'usr/share/java/commons-x-1.2.jar': makeZip([pom('org.commons', 'commons-x', '1.2')]) }, { 'usr/share/java/commons-x.jar': 'commons-x-1.2.jar' });
    expect(res.components.map(brief)).toEqual([
      { purl: 'pkg:maven/org.commons/commons-x@1.2', locations: ['/usr/share/java/commons-x-1.2.jar', '/usr/share/java/commons-x.jar'], main: true },
    ]);
  });

  it('turns every malformed input into a clear problem and still reports the good jars', async () => {
    const good = makeZip([pom('org.good', 'good', '1.0')]);
    const hostileNames = ['../../evil-1.0.jar', '/abs/evil-2.0.jar', 'WEB-INF/lib/$(touch pwned);`id`.jar', 'WEB-INF/lib/line\nbreak-3.0.jar'];
    const hostile = makeZip(hostileNames.map((name, i) => ({ name, data: makeZip([pom('org.hostile', `h${i}`, '1')]) })));
    const tooDeep = [1, 2, 3, 4, 5].reduce((z, i) => makeZip([{ name: `level${i}.jar`, data: z }]), makeZip([pom('org.deep', 'bottom', '9')]));
    const bombWar = makeZip([{ name: 'WEB-INF/lib/bomb.jar', data: Buffer.alloc(64 * 1024 * 1024), deflate: true }, pom('org.bomb', 'carrier', '1')]);
    const hugeDeclared = makeZip([{ ...pom('org.huge', 'huge', '1'), declaredSize: 0xfffffff0 }]);
    const hugeField = makeZip([{ name: 'META-INF/maven/org.f/f/pom.properties', data: `groupId=org.f\nartifactId=f\nversion=${'9'.repeat(300)}\n` }]);
    const hugePom = makeZip([{ name: 'META-INF/maven/org.p/p/pom.properties', data: `groupId=org.p\nartifactId=p\nversion=1\n#${'x'.repeat(100_000)}\n`, deflate: true }]);
    const hugeManifest = makeZip([{ name: 'META-INF/MANIFEST.MF', data: `Implementation-Title: ${'t'.repeat(9 * 1024 * 1024)}\r\n\r\n`, deflate: true }]);
    const spec = {
      'app/good-1.0.jar': good,
      'app/truncated-1.0.jar': readFileSync(JACKSON).subarray(0, 2000),
      'app/garbage.war': Buffer.from('#!/bin/sh\necho definitely not a zip archive\n'),
      'app/hostile.war': hostile,
      'app/deep.jar': tooDeep,
      'app/bomb.war': bombWar,
      'app/huge-declared.jar': hugeDeclared,
      'app/huge-field.jar': hugeField,
      'app/huge-pom.jar': hugePom,
      'app/huge-manifest-7.jar': hugeManifest,
    };
    const res = await scan(spec);
    const problems = res.problems.map((p) => `${p.code} ${p.path} ${p.message}`);
    const expectProblem = (re: RegExp) => expect(problems.some((p) => re.test(p)), `${re} in\n${problems.join('\n')}`).toBe(true);
    expectProblem(/^corrupt \/app\/truncated-1\.0\.jar not a readable Java archive: .*end of central directory not found/);
    expectProblem(/^corrupt \/app\/garbage\.war not a readable Java archive/);
    expectProblem(/^skipped \/app\/deep\.jar:level5\.jar:level4\.jar:level3\.jar:level2\.jar:level1\.jar archive nested deeper than 4 levels/);
    expectProblem(/^too-large \/app\/bomb\.war:WEB-INF\/lib\/bomb\.jar nested archive not readable: .*zip bomb/);
    expectProblem(/^too-large \/app\/huge-declared\.jar .*declares 4294967280 bytes/);
    expectProblem(/^malformed-record \/app\/huge-field\.jar .*version is 300 characters long/);
    expectProblem(/^too-large \/app\/huge-pom\.jar .*more than the limit of 65536/);
    expectProblem(/^too-large \/app\/huge-manifest-7\.jar META-INF\/MANIFEST\.MF: .*more than the limit of 8388608/);
    expect(problems).toHaveLength(8);
    expect(res.components.map((c) => `${c.purl} ${c.locations.join(',')}`)).toEqual([
      'pkg:maven/org.bomb/carrier@1 /app/bomb.war',
      'pkg:maven/org.good/good@1.0 /app/good-1.0.jar',
      'pkg:maven/org.hostile/h0@1 /app/hostile.war:../../evil-1.0.jar',
      'pkg:maven/org.hostile/h1@1 /app/hostile.war:/abs/evil-2.0.jar',
      'pkg:maven/org.hostile/h2@1 /app/hostile.war:WEB-INF/lib/$(touch pwned);`id`.jar',
      'pkg:maven/org.hostile/h3@1 /app/hostile.war:WEB-INF/lib/line\\x0abreak-3.0.jar',
      // The manifest was refused but the file name still identifies the archive.
      'pkg:maven/huge-manifest@7 /app/huge-manifest-7.jar',
    ]);
    // Entry names were only ever text: nothing was created next to the archives or above them.
    expect(readdirSync(res.root)).toEqual(['app']);
    expect(readdirSync(path.join(res.root, 'app')).sort()).toEqual(Object.keys(spec).map((k) => path.basename(k)).sort());
    expect(existsSync('pwned') || existsSync('/abs')).toBe(false);
  });

  it('wants Java archives by extension only', () => {
    const w = (p: string) => javaArchiveCollector.wants!(p, path.posix.basename(p));
    expect(['/a/x.jar', '/a/X.WAR', '/b.ear', '/p.hpi', '/p.jpi', '/x.par', '/n.nar'].every(w)).toBe(true);
    expect(['/a/x.jar.sha1', '/a/x.zip', '/a/jar', '/a/x.rar'].some(w)).toBe(false);
  });
});
