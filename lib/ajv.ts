/**
 * ajv for schemas administrators write (definitions' variables and forms): patterns run on RE2
 * (workflows/patterns.ts), not on the backtracking RegExp, and the domain formats (workflows/formats.ts)
 * replace or join ajv-formats' own, so the API and deploy judge input by the rules the activities and
 * the workflow's forms apply.
 */
import Ajv2020, { type Options } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DOMAIN_FORMATS } from '../workflows/formats';
import { linearRegExp } from '../workflows/patterns';

export function createSchemaAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020({ ...options, code: { ...options.code, regExp: linearRegExp } });
  addFormats(ajv);
  for (const [name, validate] of Object.entries(DOMAIN_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  return ajv;
}
