/**
 * ajv set up by the one schema policy (workflows/schema-policy.ts): its draft, options and formats,
 * patterns on RE2 (workflows/patterns.ts) instead of the backtracking RegExp, and decimal
 * `multipleOf`. The API and deploy create their instances here; the UI hands the same options and
 * `applySchemaPolicy` to rjsf.
 */
import Ajv2020, { type ErrorObject, type FuncKeywordDefinition, type Options } from 'ajv/dist/2020';
import type { SchemaValidateFunction } from 'ajv/dist/types';
import type AjvCore from 'ajv/dist/core';
import { isMultipleOf, SCHEMA_FORMATS, SCHEMA_OPTIONS } from '../workflows/schema-policy';
import { linearRegExp } from '../workflows/patterns';

export interface SchemaAjvOptions {
  /** The API's: defaults fill start variables and request queries (see the policy on defaults). */
  fillDefaults?: boolean;
  /**
   * For the schemas Cauce itself writes (process.schema.json, the config's): strict, since an unknown
   * keyword there is a typo, and verbose, since their messages quote the failing data and schema.
   */
  ownSchema?: boolean;
}

/** The policy's options in ajv's terms. */
export function schemaPolicyOptions({ fillDefaults = false, ownSchema = false }: SchemaAjvOptions = {}): Options {
  return {
    allErrors: SCHEMA_OPTIONS.allErrors,
    ...(ownSchema ? { strict: true, strictRequired: false, verbose: true } : { strict: SCHEMA_OPTIONS.strict }),
    coerceTypes: SCHEMA_OPTIONS.coerceTypes,
    useDefaults: fillDefaults,
    // ajv-formats is not loaded: the policy's table is the whole set of formats.
    validateFormats: true,
    code: { regExp: linearRegExp },
  };
}

/** ajv reads a failing keyword's messages from its function's `errors`. */
const checkMultipleOf: SchemaValidateFunction & { errors?: Partial<ErrorObject>[] } = (divisor: number, value: number) => {
  if (isMultipleOf(value, divisor)) return true;
  checkMultipleOf.errors = [{ keyword: 'multipleOf', message: `must be multiple of ${divisor}`, params: { multipleOf: divisor } }];
  return false;
};

const decimalMultipleOf: FuncKeywordDefinition = { keyword: 'multipleOf', type: 'number', schemaType: 'number', errors: true, validate: checkMultipleOf };

/** The policy's formats (and no others) and `multipleOf` on an instance, also one rjsf built with formats of its own. */
export function applySchemaPolicy<T extends AjvCore>(ajv: T): T {
  for (const name of Object.keys(ajv.formats)) if (!(name in SCHEMA_FORMATS)) delete ajv.formats[name];
  for (const [name, validate] of Object.entries(SCHEMA_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword(decimalMultipleOf);
  return ajv;
}

export function createSchemaAjv(options: SchemaAjvOptions = {}): Ajv2020 {
  return applySchemaPolicy(new Ajv2020(schemaPolicyOptions(options)));
}
