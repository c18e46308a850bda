/** Chilean RUT (rol único tributario): a body of 7-8 digits and a modulo-11 check digit. */

/** `76.086.428-5` / `760864285` → `76086428-5`, or null when malformed or the check digit is wrong. */
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
