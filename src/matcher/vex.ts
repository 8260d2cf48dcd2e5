/**
 * VEX documents as suppression rules: `vigil scan --vex FILE` reads OpenVEX 0.2.0
 * (vex-openvex.ts) and CycloneDX 1.4–1.6 `vulnerabilities[].analysis`
 * (vex-cyclonedx.ts). Statements that a product is not affected (with a
 * justification or impact statement), or fixed, become rules; affected and
 * under-investigation statements set nothing aside. A document that is not one of
 * the two, or breaks its format, is one INVALID_INPUT error naming the file and the
 * JSON pointer (or line and column, for JSON that does not parse).
 */
import type { SuppressionRule } from './suppression.js';
import { cyclonedxVexRules } from './vex-cyclonedx.js';
import { openVexRules } from './vex-openvex.js';
import { isObject, parseJsonInput, vexError } from './vex-json.js';

export interface VexRules {
  format: 'openvex' | 'cyclonedx';
  rules: SuppressionRule[];
  /** Statements read but not usable here (a product named by no package URL), in words with their pointer. */
  warnings: string[];
}

export function parseVex(text: string, file: string): VexRules {
  const doc = parseJsonInput(text, file);
  if (!isObject(doc)) vexError(file, '', 'a VEX document is a JSON object');
  if (typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/ns')) return { format: 'openvex', ...openVexRules(doc, file) };
  if (doc.bomFormat === 'CycloneDX') return { format: 'cyclonedx', ...cyclonedxVexRules(doc, file) };
  return vexError(file, '', 'neither an OpenVEX document (@context https://openvex.dev/ns/…) nor a CycloneDX BOM (bomFormat "CycloneDX")');
}
