/**
 * The validator rjsf uses to resolve a form's `if`/`anyOf`/`oneOf` branches and check it in the
 * browser, set up by the one schema policy (workflows/schema-policy.ts, applied to ajv by lib/ajv.ts):
 * draft 2020-12, the same options and formats as the API and the workflow, and the linear-time
 * pattern engine, so a definition's pattern cannot hang the page either.
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import Ajv2020 from 'ajv/dist/2020';
import { applySchemaPolicy, schemaPolicyOptions } from '../../../lib/ajv';

export const formValidator = customizeValidator({
  AjvClass: Ajv2020 as never,
  // rjsf's own defaults (e.g. a multipleOf tolerance) give way to the policy's.
  ajvOptionsOverrides: { ...schemaPolicyOptions(), multipleOfPrecision: undefined },
  // No ajv-formats, and none of rjsf's extra formats: the policy's table is the whole set.
  ajvFormatOptions: false,
  extenderFn: (ajv) => applySchemaPolicy(ajv),
});
