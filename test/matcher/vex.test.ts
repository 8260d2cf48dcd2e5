import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VigilError } from '../../src/common/errors.js';
import { parseVex } from '../../src/matcher/vex.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { validateCycloneDx, validateOpenVex } from '../helpers/schemas.js';

const VEX = path.join(FIXTURES, 'vex');
const read = (name: string) => readFileSync(path.join(VEX, name), 'utf8');

function refused(text: string, file = 'v.json'): string {
  try {
    parseVex(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe('INVALID_INPUT');
    return (err as VigilError).message;
  }
  throw new Error('accepted');
}

describe('public VEX examples', () => {
  it('the OpenVEX fixtures validate against the official OpenVEX 0.2.0 schema', () => {
    for (const f of ['openvex-vexctl-demo.vex.json', 'openvex-vexctl-document1.vex.json']) expect(validateOpenVex(JSON.parse(read(f)))).toEqual([]);
  });

  it('the CycloneDX fixture validates against the official CycloneDX 1.6 schema', () => {
    expect(validateCycloneDx(JSON.parse(read('cyclonedx-bom-examples-case1.vex.json')))).toEqual([]);
  });

  it('reads vexctl\'s fixed statement as a rule for both products, with the document author and statement time', () => {
    const { format, rules, warnings } = parseVex(read('openvex-vexctl-demo.vex.json'), 'demo.vex.json');
    expect(format).toBe('openvex');
    expect(warnings).toEqual([]);
    expect(rules).toEqual([
      {
        id: 'demo.vex.json#/statements/0',
        match: { vulnerabilities: ['CVE-2014-123456'], purls: ['pkg:apk/distro/git@2.39.0-r1?arch=armv7', 'pkg:apk/distro/git@2.39.0-r1?arch=x86_64'] },
        reason: 'fixed',
        author: 'Wolfi J Inkinson',
        created: '2023-12-05T03:55:19.945Z',
        origin: 'demo.vex.json#/statements/0',
      },
    ]);
  });

  it('sets nothing aside for under_investigation', () => {
    expect(parseVex(read('openvex-vexctl-document1.vex.json'), 'd1.json').rules).toEqual([]);
  });

  it('says when a CycloneDX analysis names a product without a package URL, and sets nothing aside for it', () => {
    const { format, rules, warnings } = parseVex(read('cyclonedx-bom-examples-case1.vex.json'), 'case1.json');
    expect(format).toBe('cyclonedx');
    expect(rules).toEqual([]);
    expect(warnings).toEqual(['case1.json#/vulnerabilities/0/affects/0: component "acme-product" has no package URL; the analysis does not apply to it']);
  });
});

const OPENVEX = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/1',
  author: 'Security Team',
  timestamp: '2026-01-10T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'] },
      products: [{ '@id': 'pkg:oci/web?tag=1', subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.20' }] }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
};

describe('OpenVEX statements', () => {
  it('take a product\'s subcomponents as the packages, and keep the justification', () => {
    expect(validateOpenVex(OPENVEX)).toEqual([]);
    const [rule] = parseVex(JSON.stringify(OPENVEX), 'v.json').rules;
    expect(rule).toMatchObject({ reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', match: { vulnerabilities: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'], purls: ['pkg:npm/lodash@4.17.20'] } });
  });

  it('a later affected statement about the same package replaces an earlier not_affected one', () => {
    const later = { ...OPENVEX, statements: [...OPENVEX.statements, { vulnerability: { name: 'CVE-2021-23337' }, timestamp: '2026-02-01T00:00:00Z', products: [{ '@id': 'pkg:npm/lodash@4.17.20' }], status: 'affected', action_statement: 'upgrade' }] };
    expect(validateOpenVex(later)).toEqual([]);
    expect(parseVex(JSON.stringify(later), 'v.json').rules).toEqual([]);
  });

  it.each([
    ['JSON cut short', JSON.stringify(OPENVEX).slice(0, 120), /^v\.json:1:121: not valid JSON: /],
    ['a status VEX does not have', JSON.stringify({ ...OPENVEX, statements: [{ ...OPENVEX.statements[0], status: 'ok' }] }), /^v\.json#\/statements\/0\/status: must be one of not_affected, affected, fixed, under_investigation \(got "ok"\)$/],
    ['not_affected without justification or impact statement', JSON.stringify({ ...OPENVEX, statements: [{ ...OPENVEX.statements[0], justification: undefined }] }), /^v\.json#\/statements\/0: a not_affected statement needs a justification or an impact_statement$/],
    ['an unknown justification', JSON.stringify({ ...OPENVEX, statements: [{ ...OPENVEX.statements[0], justification: 'trust_me' }] }), /^v\.json#\/statements\/0\/justification: must be one of component_not_present/],
    ['no vulnerability name', JSON.stringify({ ...OPENVEX, statements: [{ ...OPENVEX.statements[0], vulnerability: {} }] }), /^v\.json#\/statements\/0\/vulnerability\/name: must be a non-empty string$/],
    ['no statements', JSON.stringify({ ...OPENVEX, statements: undefined }), /^v\.json#\/statements: must be a list of statements$/],
    ['a bad purl', JSON.stringify({ ...OPENVEX, statements: [{ ...OPENVEX.statements[0], products: [{ '@id': 'pkg:' }] }] }), /^v\.json#\/statements\/0\/products\/0: is not a package URL/],
    ['neither format', '{"hello": "world"}', /^v\.json#\/: neither an OpenVEX document/],
    ['a list', '[]', /^v\.json#\/: a VEX document is a JSON object$/],
  ])('refuse %s, naming the file and where', (_name, text, message) => {
    expect(refused(text)).toMatch(message);
  });
});

const CDX = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  metadata: { timestamp: '2026-01-10T00:00:00Z', authors: [{ name: 'Security Team' }] },
  components: [{ type: 'library', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5', 'bom-ref': 'minimist-1.2.5' }],
  vulnerabilities: [
    {
      id: 'CVE-2021-44906',
      references: [{ id: 'GHSA-xvch-5gv4-984h', source: { name: 'GitHub' } }],
      analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'argv is never parsed from untrusted input' },
      affects: [{ ref: 'minimist-1.2.5' }],
    },
    { id: 'CVE-2024-29041', analysis: { state: 'resolved' }, affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:npm/express@4.17.1' }] },
    { id: 'CVE-2021-23337', analysis: { state: 'exploitable', response: ['update'] }, affects: [{ ref: 'pkg:npm/lodash@4.17.20' }] },
  ],
};

describe('CycloneDX VEX analyses', () => {
  it('resolve bom-refs and BOM-links to purls and map states and justifications to the model', () => {
    expect(validateCycloneDx(CDX)).toEqual([]);
    const { rules, warnings } = parseVex(JSON.stringify(CDX), 'c.json');
    expect(warnings).toEqual([]);
    expect(rules.map((r) => [r.reason, r.justification, r.match.vulnerabilities, r.match.purls, r.author])).toEqual([
      ['not_affected', 'vulnerable_code_not_in_execute_path', ['CVE-2021-44906', 'GHSA-xvch-5gv4-984h'], ['pkg:npm/minimist@1.2.5'], 'Security Team'],
      ['fixed', undefined, ['CVE-2024-29041'], ['pkg:npm/express@4.17.1'], 'Security Team'],
    ]);
    expect(rules[0]!.statement).toBe('argv is never parsed from untrusted input');
  });

  it.each([
    ['an unsupported version', JSON.stringify({ ...CDX, specVersion: '1.2' }), /^c\.json#\/specVersion: must be one of 1\.4, 1\.5, 1\.6 \(got "1\.2"\)$/],
    ['no vulnerabilities', JSON.stringify({ ...CDX, vulnerabilities: undefined }), /^c\.json#\/vulnerabilities: must be a list/],
    ['an unknown state', JSON.stringify({ ...CDX, vulnerabilities: [{ ...CDX.vulnerabilities[0], analysis: { state: 'fine' } }] }), /^c\.json#\/vulnerabilities\/0\/analysis\/state: must be one of not_affected, resolved/],
    ['an unknown justification', JSON.stringify({ ...CDX, vulnerabilities: [{ ...CDX.vulnerabilities[0], analysis: { state: 'not_affected', justification: 'because' } }] }), /^c\.json#\/vulnerabilities\/0\/analysis\/justification: must be one of code_not_present/],
    ['affects without a ref', JSON.stringify({ ...CDX, vulnerabilities: [{ ...CDX.vulnerabilities[0], affects: [{}] }] }), /^c\.json#\/vulnerabilities\/0\/affects\/0\/ref: must be a string$/],
  ])('refuse %s, naming the file and pointer', (_name, text, message) => {
    expect(refused(text, 'c.json')).toMatch(message);
  });
});
