/**
 * Each validator that evaluates an administrator's schema, as one call with plain-data arguments,
 * for test/unit/schemas/linear-patterns.test.ts and engines-agree.test.ts to run in a worker thread
 * (test/support/in-thread.ts; tsx there also loads rjsf's ES modules, which jest's transform does not).
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

type Schema = Record<string, unknown>;

/** A definition whose one task form is `form`, as deploy reads it (JSON is YAML). */
export function definitionWithForm(form: Schema, variables: Schema = { type: 'object', examples: [{}] }): string {
  return JSON.stringify({
    id: 'agree',
    name: 'Engines agree',
    roles: ['sales'],
    variables,
    start: 'fill',
    steps: { fill: { type: 'userTask', title: 'Fill', roles: ['sales'], form, outcomes: { done: { next: 'done' } } }, done: { type: 'end' } },
  });
}

/** `path: message` of each problem deploy finds in a definition with this form (and these variables). */
export function formDeployProblems(form: Schema, variables?: Schema): string[] {
  return validateDefinitionSource(definitionWithForm(form, variables), 'agree.yaml', { activities: [], roles: ['sales'] }).errors.map((e) => `${e.path}: ${e.message}`);
}

/** Deploy's verdict: the data as the form's one example. */
function deployAccepts(schema: Schema, data: unknown): boolean {
  const problems = formDeployProblems({ ...schema, examples: [data] });
  const other = problems.filter((p) => !/: example 0 does not match/.test(p));
  if (other.length) throw new Error(`the case's schema does not deploy: ${other.join('; ')}`);
  return problems.length === 0;
}

const ENGINES: Record<string, (schema: Schema, data: unknown) => boolean> = {
  // The API's own instance fills defaults, so it judges a copy.
  api: (schema, data) => apiAccepts(schema, structuredClone(data)),
  deploy: deployAccepts,
  workflow: (schema, data) => workflowProblems(schema, data).length === 0,
  ui: uiAccepts,
};

export function engineNames(): string[] {
  return Object.keys(ENGINES);
}

/** One engine's verdict on each (schema, data) case. */
export function verdicts(engine: string, cases: Array<[Schema, unknown]>): boolean[] {
  return cases.map(([schema, data]) => ENGINES[engine](schema, data));
}
