/**
 * The validator rjsf uses to resolve a form's `if`/`anyOf`/`oneOf` branches in the browser: the same
 * domain formats (workflows/formats.ts) and the same linear-time pattern engine (workflows/patterns.ts)
 * as the API and the workflow, so a definition's pattern cannot hang the page either.
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import { DOMAIN_FORMATS } from '../../../workflows/formats';
import { linearRegExp } from '../../../workflows/patterns';

export const formValidator = customizeValidator({
  customFormats: DOMAIN_FORMATS,
  ajvOptionsOverrides: { code: { regExp: linearRegExp } },
});
