/** Colombian NIT (número de identificación tributaria): a base of 6-15 digits and DIAN's check digit. */

/** DIAN's weights, applied from the rightmost digit of the NIT's base. */
const NIT_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

/** `900.123.456-8` / `9001234568` → `900123456-8`, or null when malformed or the check digit is wrong. */
export function normalizeNit(value: string): string | null {
  if (value.length > 24) return null;
  const compact = value.replace(/[.\s-]/g, '');
  const match = /^(\d{6,15})(\d)$/.exec(compact);
  if (!match) return null;
  const [, body, digit] = match;
  return nitCheckDigit(body) === digit ? `${body}-${digit}` : null;
}

/** A remainder of 0 or 1 is the check digit itself; any other is 11 minus it. */
export function nitCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * NIT_WEIGHTS[i];
  const rest = sum % 11;
  return String(rest < 2 ? rest : 11 - rest);
}
