import { describe, expect, test } from 'vitest';
import { validateCycloneDx, validateSarif, validateSpdx } from '../../helpers/schemas.js';

describe('schema validation helpers', () => {
  test('reject what the official schemas reject', () => {
    expect(validateCycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.6' })).toEqual([]);
    const badLicense = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'Not-A-License' } }] }] };
    expect(validateCycloneDx(badLicense).length).toBeGreaterThan(0);
    const mixed = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'MIT' } }, { expression: 'MIT' }] }] };
    expect(validateCycloneDx(mixed).length).toBeGreaterThan(0);
    const badEndpoint = { bomFormat: 'CycloneDX', specVersion: '1.6', services: [{ name: 's', endpoints: ['tcp://[fe80::1%eth0]:1'] }] };
    expect(validateCycloneDx(badEndpoint).length).toBeGreaterThan(0);
    expect(validateSpdx({ spdxVersion: 'SPDX-2.3' }).length).toBeGreaterThan(0);
    const purpose = { SPDXID: 'SPDXRef-DOCUMENT', creationInfo: { created: 'x', creators: ['Tool: x'] }, dataLicense: 'CC0-1.0', name: 'n', spdxVersion: 'SPDX-2.3',
      packages: [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NOASSERTION', primaryPackagePurpose: 'OPERATING-SYSTEM' }] };
    expect(validateSpdx(purpose).length).toBeGreaterThan(0);
  });

  test('validate SARIF 2.1.0 documents', () => {
    const sarif = {
      version: '2.1.0',
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      runs: [{ tool: { driver: { name: 'vigil', rules: [{ id: 'CVE-2024-6387' }] } }, results: [{ ruleId: 'CVE-2024-6387', message: { text: 'openssh-server 1:9.2p1-2' }, level: 'error' }] }],
    };
    expect(validateSarif(sarif)).toEqual([]);
    expect(validateSarif({ ...sarif, version: '2.0.0' }).length).toBeGreaterThan(0);
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: {} }] }).length).toBeGreaterThan(0);
  });
});
