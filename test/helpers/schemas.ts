/**
 * Validation of Vigil's documents against the official schemas in test/fixtures/schemas,
 * offline. Each validator returns the schema errors as readable lines, empty when valid.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';

const SCHEMAS = new URL('../fixtures/schemas/', import.meta.url);

function load(name: string): AnySchemaObject {
  return JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8')) as AnySchemaObject;
}

// ajv-formats is CommonJS: depending on the loader its plugin is `default` or `default.default`.
const mod = ajvFormats as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } };
const addFormats: FormatsPlugin = mod.default.default ?? mod.default;

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // ajv-formats has no IRI formats: an IRI is a URI once its non-ASCII characters are percent-encoded.
  const uriReference = addFormats.get('uri-reference', 'full') as RegExp;
  const toUri = (s: string): string => s.replace(/[^\x00-\x7f]/gu, (ch) => encodeURIComponent(ch));
  ajv.addFormat('iri-reference', (s: string) => uriReference.test(toUri(s)));
  ajv.addFormat('iri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && uriReference.test(toUri(s)));
  ajv.addFormat('idn-email', (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(s));
  return ajv;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

function lazy(build: () => ValidateFunction): (doc: unknown) => string[] {
  let validate: ValidateFunction | undefined;
  return (doc) => {
    validate ??= build();
    return validate(doc) ? [] : describe(validate.errors);
  };
}

/** CycloneDX 1.6; its SPDX-id and JSF sub-schemas are registered under the `$id`s it refers to. */
export const validateCycloneDx = lazy(() => {
  const ajv = newAjv();
  ajv.addSchema(load('cyclonedx-spdx.schema.json'));
  ajv.addSchema(load('cyclonedx-jsf-0.82.schema.json'));
  return ajv.compile(load('cyclonedx-bom-1.6.schema.json'));
});

export const validateSpdx = lazy(() => newAjv().compile(load('spdx-2.3.schema.json')));

/**
 * SARIF 2.1.0's schema is draft-04, which Ajv 8 does not load. It uses no keyword whose
 * meaning changed after draft-04 (checked here, so a new schema cannot slip through), so
 * renaming `id` to `$id` and declaring draft-07 validates exactly the same documents.
 */
export const validateSarif = lazy(() => {
  const schema = load('sarif-2.1.0.schema.json');
  const text = JSON.stringify(schema);
  if (/"exclusive(Minimum|Maximum)":\s*(true|false)/.test(text) || /"divisibleBy"/.test(text)) {
    throw new Error('sarif schema uses draft-04-only keywords; it needs a draft-04 validator');
  }
  const { id, $schema: _draft04, ...rest } = schema as AnySchemaObject & { id?: string };
  return newAjv().compile({ ...rest, $id: id, $schema: 'http://json-schema.org/draft-07/schema#' });
});

// OSV's schema is JSON Schema 2020-12, which needs Ajv's 2020 build (ES imports may sit anywhere at top level).
import { Ajv2020 } from 'ajv/dist/2020.js';

/** OSV records (test/fixtures/schemas/osv.schema.json, JSON Schema 2020-12). */
export const validateOsv = lazy(() => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv as unknown as Ajv);
  return ajv.compile(load('osv.schema.json'));
});

/** OpenVEX 0.2.0 (test/fixtures/schemas/openvex-0.2.0.schema.json, JSON Schema 2020-12). */
export const validateOpenVex = lazy(() => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv as unknown as Ajv);
  return ajv.compile(load('openvex-0.2.0.schema.json'));
});
