import { normalizeRut } from './rut';

/**
 * The key two tax ids are compared by, whatever their country: a valid RUT in its normal form, else the
 * id without dots or spaces, upper-cased. So `76.086.428-5` matches `76086428-5` (a CRM's record of the
 * client), and an id that is not a RUT (a NIT, a foreign one) still matches itself however it is typed.
 */
export function taxIdKey(value: string): string {
  return normalizeRut(value) ?? value.replace(/[.\s]/g, '').toUpperCase();
}
