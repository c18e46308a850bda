/**
 * How a problem with one input field is worded, once: the activities' InvalidInput
 * (activities/domain/support.ts), the API's 422 for a lead and an import's row errors (domain/leads)
 * say it the same way, `<field>: <problem>`.
 */
export const FIELD_PROBLEM = {
  required: 'is required and must be a non-empty string',
  notString: 'must be a string',
  uuid: 'must be a uuid',
} as const;

export const notAnEmail = (got: string) => `is not a valid email (got ${JSON.stringify(got)})`;

export const notOneOf = (allowed: readonly string[], got: unknown) => `must be one of ${allowed.join(', ')} (got ${JSON.stringify(got)})`;

export const fieldMessage = (field: string, problem: string) => `${field}: ${problem}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A trimmed non-empty string, or null for anything else (absent, blank, not a string). */
export function nonBlank(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
