/** Chilean RUT: digits plus a modulo-11 check digit (`K` for 10). Seed 000 ties every account to one. */

/** `76.086.428-5` / `760864285` → `76086428-5`, or null when malformed or the check digit is wrong. */
export function normalizeRut(value: string): string | null {
  const compact = value.replace(/[.\s-]/g, '').toUpperCase();
  const match = /^(\d{7,8})([\dK])$/.exec(compact);
  if (!match) return null;
  const [, body, digit] = match;
  return checkDigit(body) === digit ? `${body}-${digit}` : null;
}

export function checkDigit(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * factor;
    factor = factor === 7 ? 2 : factor + 1;
  }
  const rest = 11 - (sum % 11);
  return rest === 11 ? '0' : rest === 10 ? 'K' : String(rest);
}
