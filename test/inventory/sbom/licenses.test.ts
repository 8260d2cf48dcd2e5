import { describe, expect, test } from 'vitest';
import { classifyLicenses, formatLicenseExpression, parseLicenseExpression } from '../../../src/inventory/sbom/licenses.js';

const canonical = (s: string): string | undefined => {
  const tree = parseLicenseExpression(s);
  return tree && formatLicenseExpression(tree);
};

describe('SPDX license expressions', () => {
  test.each([
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['GPL-2.0+', 'GPL-2.0+'],
    ['Apache-2.0+', 'Apache-2.0+'],
    ['MIT OR Apache-2.0', 'MIT OR Apache-2.0'],
    ['(MIT OR Apache-2.0)', 'MIT OR Apache-2.0'],
    ['MIT or apache-2.0', 'MIT OR Apache-2.0'],
    ['MIT AND (BSD-2-Clause OR ISC)', 'MIT AND (BSD-2-Clause OR ISC)'],
    ['(MIT AND BSD-2-Clause) OR ISC', 'MIT AND BSD-2-Clause OR ISC'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
    ['LicenseRef-Acme-1.0 AND Zlib', 'LicenseRef-Acme-1.0 AND Zlib'],
  ])('%s is valid, canonically %s', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  test.each(['BSD License', 'GPLv2+', '(MIT', 'MIT AND', 'MIT WITH GPL-2.0-only', 'LicenseRef-x+', 'LicenseRef-a b', '', 'AND', 'MIT ()'])(
    '%j is not an SPDX expression',
    (input) => {
      expect(parseLicenseExpression(input)).toBeUndefined();
    },
  );

  test('classification drops placeholders and duplicates, and sorts', () => {
    expect(classifyLicenses(['MIT', 'mit', 'UNKNOWN', ' ', 'noassertion', 'BSD License', 'MIT OR ISC'])).toEqual([
      expect.objectContaining({ kind: 'expression', text: 'MIT OR ISC' }),
      { kind: 'id', id: 'MIT', raw: 'MIT' },
      { kind: 'name', name: 'BSD License', raw: 'BSD License' },
    ]);
    expect(classifyLicenses(undefined)).toEqual([]);
  });
});
