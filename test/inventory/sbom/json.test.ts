import { describe, expect, test } from 'vitest';
import { renderJson } from '../../../src/inventory/sbom/json.js';
import { debianHost, hostileRootfs } from './inventories.js';
import { expectGolden } from '../../helpers/golden.js';

function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value === null || typeof value !== 'object') return true;
  const keys = Object.keys(value);
  return keys.every((k, i) => i === 0 || keys[i - 1]! < k) && Object.values(value).every(keysSorted);
}

describe("Vigil's JSON output", () => {
  test('matches the golden file', async () => {
    await expectGolden(renderJson(debianHost()), new URL('./__golden__/debian-host.vigil.json', import.meta.url));
  });

  test('is the inventory itself, nothing lost, keys sorted at every depth', () => {
    for (const inv of [debianHost(), hostileRootfs()]) {
      const text = renderJson(inv);
      expect(text.endsWith('}\n')).toBe(true);
      const back = JSON.parse(text) as typeof inv;
      expect(keysSorted(back)).toBe(true);
      expect(back).toEqual({
        ...inv,
        components: expect.arrayContaining(inv.components),
        problems: expect.arrayContaining(inv.problems),
        ...(inv.ports ? { ports: expect.arrayContaining(inv.ports) } : {}),
        ...(inv.host ? { host: { ...inv.host, addresses: expect.arrayContaining(inv.host.addresses) } } : {}),
      });
      expect(back.components).toHaveLength(inv.components.length);
    }
  });

  test('keeps lists whose order means something: os idLike, licenses', () => {
    const inv = hostileRootfs();
    inv.os!.idLike = ['rhel', 'fedora', 'centos'];
    const back = JSON.parse(renderJson(inv)) as typeof inv;
    expect(back.os!.idLike).toEqual(['rhel', 'fedora', 'centos']);
    expect(back.components.find((c) => c.name === 'evil;rm -rf /')!.licenses).toEqual(['GPL (>= 2)', '"quoted"']);
  });
});
