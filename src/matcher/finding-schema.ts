import { schemaErrors, type SchemaError } from './json-schema.js';

/**
 * The published shape of a finding: `schemas/finding.schema.json` (the matcher's
 * `Finding`) and `schemas/host-finding.schema.json` (a finding as the server keeps it,
 * with its lifecycle and episodes). Each error names the JSON pointer it concerns;
 * an empty list means the value is valid. Values are checked as JSON has them:
 * a property whose value is `undefined` counts as absent.
 */
export function validateFinding(value: unknown): SchemaError[] {
  return schemaErrors('finding.schema.json', value);
}

export function validateHostFinding(value: unknown): SchemaError[] {
  return schemaErrors('host-finding.schema.json', value);
}

export type { SchemaError } from './json-schema.js';
