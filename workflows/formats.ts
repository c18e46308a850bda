/**
 * The domain's string formats as JSON Schema sees them: the rules the activities apply (a RUT's check
 * digit, an email; domain/identity/) are the `format`s every validator registers (the API's ajv,
 * deploy-time checks of examples, the workflow's task forms, the UI's forms), so start input and form
 * data are refused up front by the same rule that would fail the activity later. Pure and linear-time:
 * no backtracking regular expression runs on what a client sends.
 */
import { isEmail, normalizeNit, normalizeRut } from '../domain/identity';

/** What a value of each format must be, for error messages. */
export const FORMAT_DESCRIPTIONS = {
  rut: 'a Chilean RUT with a valid check digit (e.g. 76.086.428-5)',
  nit: 'a Colombian NIT with a valid check digit (e.g. 900.123.456-8)',
  email: 'an email address (e.g. name@example.com)',
  'max-20-words': 'a text of at most 20 words (a digital store\'s product description)',
} as const;

export type DomainFormat = keyof typeof FORMAT_DESCRIPTIONS;

/** The custom formats, by the name a schema gives in `format:`. `email` replaces the validators' own. */
export const DOMAIN_FORMATS: Record<DomainFormat, (value: string) => boolean> = {
  rut: (value) => normalizeRut(value) !== null,
  nit: (value) => normalizeNit(value) !== null,
  email: isEmail,
  'max-20-words': (value) => wordCount(value) <= 20,
};

/** Words as a reader counts them: runs of non-space characters. One linear pass, no regular expression. */
export function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (const char of text) {
    const space = char.trim() === '';
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}
