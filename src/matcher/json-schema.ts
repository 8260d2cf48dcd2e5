/**
 * Validation of Vigil's own formats against the JSON Schemas published in
 * `schemas/`, with each error as the JSON pointer it concerns and what was wrong.
 * Draft-07 schemas (vigilignore) compile alone; the JSON Schema 2020-12 ones share one
 * validator holding all of them, so one refers to another by its file name
 * (host-finding.schema.json's `finding` is `{"$ref": "finding.schema.json"}`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: depending on the loader its plugin is `default` or `default.default`.
const mod = ajvFormats as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } };
const addFormats: FormatsPlugin = mod.default.default ?? mod.default;

/** dist/matcher/ and src/matcher/ both sit two levels below the checkout, beside schemas/. */
const SCHEMAS = new URL('../../schemas/', import.meta.url);

export interface SchemaError {
  /** JSON pointer of the value concerned (for a missing or unknown key, the key's own pointer). */
  pointer: string;
  message: string;
}

const compiled = new Map<string, ValidateFunction>();

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';
const OPTIONS = { allErrors: true, strict: true, strictRequired: false, verbose: true } as const;

function load(name: string): { $schema?: string; $id?: string } {
  return JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8')) as { $schema?: string; $id?: string };
}

let ajv2020: Ajv2020 | undefined;

/** Every 2020-12 schema of schemas/ in one validator, so their `$ref`s between files resolve. */
function shared2020(): Ajv2020 {
  if (ajv2020) return ajv2020;
  const ajv = new Ajv2020(OPTIONS);
  addFormats(ajv as unknown as Ajv, ['date', 'date-time']);
  for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = load(file);
    if (schema.$schema === DRAFT_2020) ajv.addSchema(schema as object);
  }
  return (ajv2020 = ajv);
}

function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = load(name);
    if (schema.$schema === DRAFT_2020) {
      v = shared2020().getSchema(schema.$id ?? '');
      if (!v) throw new Error(`schemas/${name} has no $id the validator knows`);
    } else {
      const ajv = new Ajv(OPTIONS);
      addFormats(ajv, ['date', 'date-time']);
      v = ajv.compile(schema as object);
    }
    compiled.set(name, v);
  }
  return v;
}

const got = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 80);
const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function describe(e: ErrorObject): SchemaError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { pointer: e.instancePath, message: `needs "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { pointer: `${e.instancePath}/${escape(String(p.additionalProperty))}`, message: 'is not a known key' };
    case 'enum':
      return { pointer: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${got(e.data)})` };
    case 'const':
      return { pointer: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)} (got ${got(e.data)})` };
    case 'anyOf':
      return { pointer: e.instancePath, message: 'must be an RFC 3339 date (2026-01-31) or date-time (2026-01-31T12:00:00Z)' };
    case 'minProperties':
      return { pointer: e.instancePath, message: 'must name at least one criterion' };
    default:
      return { pointer: e.instancePath, message: e.message ?? e.keyword };
  }
}

/**
 * Errors of `doc` against `schemas/<name>`, most useful first: the deepest pointer,
 * without the branch-by-branch detail of an `anyOf` or the `if` of an if/then.
 */
export function schemaErrors(name: string, doc: unknown): SchemaError[] {
  const validate = validator(name);
  if (validate(doc)) return [];
  const errors = validate.errors ?? [];
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors
    .filter((e) => e.keyword !== 'if' && !(anyOfAt.has(e.instancePath) && e.keyword !== 'anyOf'))
    .map(describe)
    .sort((a, b) => b.pointer.split('/').length - a.pointer.split('/').length);
}
