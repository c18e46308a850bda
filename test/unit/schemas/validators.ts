/**
 * Each validator that evaluates an administrator's schema, as one call with plain-data arguments,
 * for test/unit/schemas/linear-patterns.test.ts to run in a worker thread (test/support/in-thread.ts).
 */
import { ajv } from '../../../api/schemas';
import { validateDefinitionSource } from '../../../lib/definitions/validate';
import { formValidator } from '../../../ui/src/lib/form-validator';
import { validateFormData } from '../../../workflows/forms';

/** The API's start-variables check (api/processes/service.ts compiles with the same instance). */
export function apiAccepts(schema: Record<string, unknown>, data: unknown): boolean {
  return ajv.compile(schema)(data) as boolean;
}

/** Deploy: the messages of a definition's validation (examples are checked against their schema). */
export function deployProblems(source: string): string[] {
  return validateDefinitionSource(source, 'patterns.yaml', { activities: ['notifications.send'], roles: ['sales'] }).errors.map((e) => e.message);
}

/** The workflow's task-form check (the completeTask update's validator). */
export function workflowProblems(form: Record<string, unknown>, data: unknown): string[] {
  return validateFormData(form, data).map((p) => `${p.path}: ${p.message}`);
}

/** The UI's rjsf validator (it evaluates schemas to pick `if`/`anyOf` branches). */
export function uiAccepts(schema: Record<string, unknown>, data: unknown): boolean {
  return formValidator.isValid(schema as never, data, schema as never);
}
