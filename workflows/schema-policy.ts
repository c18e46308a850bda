/**
 * The one JSON-Schema policy: how every validator in Cauce judges data against a schema, whoever
 * wrote the schema (an administrator's `variables` and task `form`s, or the API's own contract).
 * Four engines apply it, and none of them chooses anything of its own:
 * - ajv (lib/ajv.ts) in the API (request bodies, start variables) and at deploy (examples, defaults);
 * - rjsf's ajv validator in the UI (ui/src/lib/form-validator.ts);
 * - @cfworker/json-schema in the workflow (workflows/forms.ts). ajv compiles each schema to code with
 *   `new Function`, and in the workflow sandbox every workflow evaluates its own copy of the bundle's
 *   modules, so each (and each replay after an eviction) would build its own ajv instance and compile
 *   its forms: measured on this machine, about 9 ms and 60 KiB for an instance and one form, against
 *   0.02 ms and 1 KiB for cfworker, which interprets the schema.
 * test/unit/schemas/engines-agree.test.ts runs one table of (schema, data) cases through all of them.
 *
 * Pure and sandbox-safe: imported by workflow code, by lib/ and by the browser bundle.
 */
import { format as cfworkerFormats } from '@cfworker/json-schema';
import { DOMAIN_FORMATS } from './formats';
import { patternProblem } from './patterns';

/** Draft 2020-12, the dialect of definitions' schemas (process.schema.json says so to authors). */
export const SCHEMA_DRAFT = '2020-12';

export const SCHEMA_OPTIONS = {
  /** Every problem, not the first: a form shows all its wrong fields at once. */
  allErrors: true,
  /**
   * Unknown keywords are annotations, not errors: administrators' schemas carry `x-…` and UI hints.
   * (Unknown formats are the exception: deploy refuses them, lib/definitions/embedded-schemas.ts.)
   */
  strict: false,
  /** Never: `"5"` is not a number and `1` is not `"1"`, in every engine. */
  coerceTypes: false,
} as const;

/**
 * Defaults are not part of judging: a `required` property is missing whether or not it has a
 * `default`. Two callers fill defaults, as documented behaviour: the API into start variables and its
 * own query strings (`fillDefaults` in lib/ajv.ts: what the process starts with), and the UI when it
 * prefills a form. Because ajv fills while it judges, deploy refuses a `required` start variable with
 * a `default` (lib/definitions/embedded-schemas.ts), the one case where filling would change a verdict.
 */

/** The standard formats Cauce supports, one implementation each (cfworker's, pure functions). */
const STANDARD_FORMATS = ['date', 'time', 'date-time', 'duration', 'uri', 'uri-reference', 'uuid', 'hostname', 'ipv4', 'ipv6'] as const;

/**
 * Every format a schema may name, by name, with the one function that decides it in every engine:
 * the standard ones, the domain ones (rut, nit, and `email` as the activities accept it), and `regex`
 * meaning what the pattern engine (RE2) can run, since that is what `pattern` will run on.
 */
export const SCHEMA_FORMATS: Record<string, (value: string) => boolean> = {
  ...Object.fromEntries(STANDARD_FORMATS.map((name) => [name, cfworkerFormats[name]])),
  regex: (value) => patternProblem(value) === null,
  ...DOMAIN_FORMATS,
};

/**
 * `multipleOf` in decimal arithmetic, as a person reads it: `0.07` is a multiple of `0.01`, though
 * `0.07 / 0.01` is `7.000000000000001` in floating point. cfworker already works this way; ajv is
 * given this function in place of its own keyword (lib/ajv.ts).
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(divisor) || divisor <= 0) return false;
  const [valueDigits, valueExponent] = decimal(value);
  const [divisorDigits, divisorExponent] = decimal(divisor);
  const shift = valueExponent - divisorExponent;
  return shift >= 0 ? (valueDigits * 10n ** BigInt(shift)) % divisorDigits === 0n : valueDigits % (divisorDigits * 10n ** BigInt(-shift)) === 0n;
}

/** `x` as `digits × 10^exponent`, from its shortest decimal representation. */
function decimal(x: number): [bigint, number] {
  const [mantissa, exp = '0'] = x.toExponential().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  return [BigInt(whole + fraction), Number(exp) - fraction.length];
}
