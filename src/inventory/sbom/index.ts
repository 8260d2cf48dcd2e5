import type { Inventory } from '../../common/model.js';
import { renderCycloneDx } from './cyclonedx.js';
import { renderJson } from './json.js';
import { renderSpdx } from './spdx.js';

export type SbomFormat = 'cyclonedx' | 'spdx' | 'json';

/** A `Record` so that adding a format without its renderer does not compile. */
const RENDERERS: Record<SbomFormat, (inv: Inventory) => string> = {
  cyclonedx: renderCycloneDx,
  spdx: renderSpdx,
  json: renderJson,
};

/** The SBOM as text: deterministic for a given inventory, JSON with a trailing newline. */
export function renderSbom(inv: Inventory, format: SbomFormat): string {
  return RENDERERS[format](inv);
}
