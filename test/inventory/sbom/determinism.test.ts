import { describe, expect, test } from 'vitest';
import type { Inventory } from '../../../src/common/model.js';
import { renderCycloneDx } from '../../../src/inventory/sbom/cyclonedx.js';
import { renderSbom, type SbomFormat } from '../../../src/inventory/sbom/index.js';
import { renderJson } from '../../../src/inventory/sbom/json.js';
import { renderSpdx } from '../../../src/inventory/sbom/spdx.js';
import { debianHost, hostileRootfs } from './inventories.js';

const FORMATS: SbomFormat[] = ['cyclonedx', 'spdx', 'json'];

/** Reverses every list the collectors could have produced in another order. */
function shuffled(inv: Inventory): Inventory {
  return {
    ...inv,
    components: [...inv.components].reverse().map((c) => ({ ...c, locations: [...c.locations].reverse() })),
    problems: [...inv.problems].reverse(),
    ...(inv.ports ? { ports: [...inv.ports].reverse() } : {}),
    ...(inv.kernel ? { kernel: { ...inv.kernel, installed: [...inv.kernel.installed].reverse() } } : {}),
    ...(inv.host ? { host: { ...inv.host, addresses: [...inv.host.addresses].reverse() } } : {}),
  };
}

describe('SBOM rendering is deterministic', () => {
  test('renderSbom dispatches to each format', () => {
    const inv = debianHost();
    expect(renderSbom(inv, 'cyclonedx')).toBe(renderCycloneDx(inv));
    expect(renderSbom(inv, 'spdx')).toBe(renderSpdx(inv));
    expect(renderSbom(inv, 'json')).toBe(renderJson(inv));
  });

  test.each(FORMATS)('%s: two scans of the same root differ only on timestamp lines', (format) => {
    for (const make of [debianHost, hostileRootfs]) {
      const a = renderSbom(make('2026-03-02T09:15:27.481Z'), format).split('\n');
      const b = renderSbom(make('2026-03-09T22:01:03.007Z'), format).split('\n');
      expect(b).toHaveLength(a.length);
      const differing = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]!]]));
      expect(differing.length).toBeGreaterThan(0);
      for (const [x, y] of differing) {
        expect(x).toMatch(/2026-03-02T09:15:27(\.481)?Z/);
        expect(y).toMatch(/2026-03-09T22:01:03(\.007)?Z/);
      }
    }
  });

  test.each(FORMATS)('%s: collector order does not change a byte', (format) => {
    for (const inv of [debianHost(), hostileRootfs()]) expect(renderSbom(shuffled(inv), format)).toBe(renderSbom(inv, format));
  });

  test.each(FORMATS)('%s: 2-space JSON with a trailing newline, input left untouched', (format) => {
    const inv = debianHost();
    const before = JSON.stringify(inv);
    const text = renderSbom(inv, format);
    expect(JSON.stringify(inv)).toBe(before);
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + '\n');
  });
});
