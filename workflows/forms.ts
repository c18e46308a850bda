/**
 * Task-form validation inside workflow code. ajv generates code at run time, so the workflow uses
 * @cfworker/json-schema, a validator built for sandboxes that forbid eval; the API reports the same
 * messages because it gets them from the workflow's update validator.
 */
import { Validator } from '@cfworker/json-schema';

export interface FormProblem {
  path: string;
  message: string;
}

const validators = new Map<string, Validator>();

export function validateFormData(form: Record<string, unknown> | undefined, data: unknown): FormProblem[] {
  if (!form) return [];
  const key = JSON.stringify(form);
  let validator = validators.get(key);
  if (!validator) {
    validator = new Validator(form as never, '2020-12', false);
    validators.set(key, validator);
  }
  const result = validator.validate(data);
  if (result.valid) return [];
  // cfworker reports the failing keyword chain; the leaf errors are the ones a person can act on.
  const leaves = result.errors.filter((e) => !['properties', 'allOf', 'anyOf', 'oneOf', 'items', 'if', 'then', '$ref'].includes(e.keyword));
  return (leaves.length ? leaves : result.errors).map((e) => ({
    path: e.instanceLocation.replace(/^#/, '') || '/',
    message: e.error,
  }));
}
