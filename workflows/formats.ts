/**
 * The domain's string formats, defined once: the rules the activities apply (a RUT's check digit, an
 * email) are the JSON-Schema formats every validator registers (the API's ajv, deploy-time checks of
 * examples, the workflow's task forms, the UI's forms), so start input and form data are refused up
 * front by the same rule that would fail the activity later. Pure and linear-time: no backtracking
 * regular expression runs on what a client sends.
 */

/** Chilean RUT: `76.086.428-5` / `760864285` → `76086428-5`, or null when malformed or the check digit is wrong. */
export function normalizeRut(value: string): string | null {
  if (value.length > 20) return null;
  const compact = value.replace(/[.\s-]/g, '').toUpperCase();
  const match = /^(\d{7,8})([\dK])$/.exec(compact);
  if (!match) return null;
  const [, body, digit] = match;
  return rutCheckDigit(body) === digit ? `${body}-${digit}` : null;
}

/** The RUT's modulo-11 check digit (`K` for 10). */
export function rutCheckDigit(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * factor;
    factor = factor === 7 ? 2 : factor + 1;
  }
  const rest = 11 - (sum % 11);
  return rest === 11 ? '0' : rest === 10 ? 'K' : String(rest);
}

/** DIAN's weights, applied from the rightmost digit of the NIT's base. */
const NIT_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

/** Colombian NIT with its check digit: `900.123.456-8` / `9001234568` → `900123456-8`, or null. */
export function normalizeNit(value: string): string | null {
  if (value.length > 24) return null;
  const compact = value.replace(/[.\s-]/g, '');
  const match = /^(\d{6,15})(\d)$/.exec(compact);
  if (!match) return null;
  const [, body, digit] = match;
  return nitCheckDigit(body) === digit ? `${body}-${digit}` : null;
}

export function nitCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * NIT_WEIGHTS[i];
  const rest = sum % 11;
  return String(rest < 2 ? rest : 11 - rest);
}

/**
 * One `@`, something before it, and a domain with a dot that is neither its first nor its last
 * character; no whitespace. Deliberately loose (what the activities have always accepted), and
 * written without a backtracking pattern so a long input costs linear time.
 */
export function isEmail(value: string): boolean {
  if (value.length > 320 || /\s/.test(value)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || value.indexOf('@', at + 1) !== -1) return false;
  const domain = value.slice(at + 1);
  const dot = domain.indexOf('.', 1);
  return dot !== -1 && dot < domain.length - 1;
}

/** What a value of each format must be, for error messages. */
export const FORMAT_DESCRIPTIONS = {
  rut: 'a Chilean RUT with a valid check digit (e.g. 76.086.428-5)',
  nit: 'a Colombian NIT with a valid check digit (e.g. 900.123.456-8)',
  email: 'an email address (e.g. name@example.com)',
} as const;

export type DomainFormat = keyof typeof FORMAT_DESCRIPTIONS;

/** The custom formats, by the name a schema gives in `format:`. `email` replaces the validators' own. */
export const DOMAIN_FORMATS: Record<DomainFormat, (value: string) => boolean> = {
  rut: (value) => normalizeRut(value) !== null,
  nit: (value) => normalizeNit(value) !== null,
  email: isEmail,
};
