/** How the domain identifies a company or a person: Chilean RUT, Colombian NIT, tax ids in general, email. */
export { normalizeRut, rutCheckDigit } from './rut';
export { normalizeNit, nitCheckDigit } from './nit';
export { isEmail } from './email';
export { taxIdKey } from './tax-id';
