/**
 * Running real definitions in tests: deploy the YAML in definitions/, start the interpreter, drive its tasks.
 */
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import { deployFolder, getDefinitionVersion } from '../../lib/definitions/store';
import { stepsById } from '../../workflows/definition';
import { eventually } from './eventually';
import { completeTaskUpdate, INTERPRETER_WORKFLOW, stateQuery, type InterpreterInput, type InterpreterOptions } from '../../workflows/messages';
import type { Actor, DefinitionVersion, InstanceState, OpenTask } from '../../workflows/model';

export const DEFINITIONS_DIR = path.join(__dirname, '../../definitions');

export async function deployDefinitions(db: Knex): Promise<(id: string) => Promise<DefinitionVersion>> {
  await deployFolder(db, DEFINITIONS_DIR, 'test');
  return async (id) => {
    const version = await getDefinitionVersion(db, id);
    if (!version) throw new Error(`definition ${id} was not deployed`);
    return version;
  };
}

/** The first `examples` entry of the definition's start-variables schema, with overrides. */
export function exampleVariables(definition: DefinitionVersion, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const examples = definition.definition.variables.examples as Record<string, unknown>[];
  return { ...structuredClone(examples[0]), ...overrides };
}

export async function startProcess(
  client: Client,
  taskQueue: string,
  definition: DefinitionVersion,
  businessKey: string,
  variables: Record<string, unknown>,
  options: InterpreterOptions = { searchAttributes: false },
): Promise<WorkflowHandle> {
  const instanceId = `${definition.id}-${businessKey}-${Math.random().toString(36).slice(2, 8)}`;
  const input: InterpreterInput = { instanceId, definition, businessKey, variables, startedBy: 'test', options };
  return client.workflow.start(INTERPRETER_WORKFLOW, { taskQueue, workflowId: instanceId, args: [input] });
}

/** Polls the live state until `predicate` holds (workflow progress is asynchronous to the test). */
export function waitForState(handle: WorkflowHandle, predicate: (state: InstanceState) => boolean): Promise<InstanceState> {
  return eventually(() => handle.query(stateQuery), predicate, 'the instance state');
}

export async function openTaskAt(handle: WorkflowHandle, stepId: string): Promise<OpenTask> {
  const state = await waitForState(handle, (s) => s.tasks.some((t) => t.stepId === stepId));
  return state.tasks.find((t) => t.stepId === stepId)!;
}

/** The form's first example (or {}) is what a person would typically submit. */
export function exampleFormData(definition: DefinitionVersion, stepId: string): Record<string, unknown> {
  const step = stepsById(definition.definition.steps)[stepId];
  const form = step?.type === 'userTask' ? (step.form as { examples?: unknown[]; default?: unknown } | undefined) : undefined;
  return structuredClone((form?.examples?.[0] ?? form?.default ?? {}) as Record<string, unknown>);
}

export async function completeStep(
  handle: WorkflowHandle,
  definition: DefinitionVersion,
  stepId: string,
  outcome: string,
  actor: Actor,
  data?: Record<string, unknown>,
) {
  const task = await openTaskAt(handle, stepId);
  return handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: task.id, outcome, data: data ?? exampleFormData(definition, stepId), actor }],
  });
}

export const DAY = 86_400_000;

/** When (workflow time) a step was first entered, relative to the instance start, in ms. */
export function enteredAfter(state: InstanceState, stepId: string): number | undefined {
  const visit = state.trail.find((v) => v.stepId === stepId);
  return visit ? Date.parse(visit.enteredAt) - Date.parse(state.startedAt) : undefined;
}
