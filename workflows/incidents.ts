/**
 * Which failures of a step make an incident rather than a failed instance, and how a path waits for
 * an operator. An activity that fails is the process's business (its `onError`, or the instance
 * fails as the definition says); a step the engine itself cannot run (an expression that fails or
 * goes over its budget, a choice with no way out, a loop that never waits) is a fault in the
 * definition or its data: the path stops there, visible, until an operator retries or cancels it.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { ExpressionError } from './expressions';

/** ApplicationFailure types the interpreter raises for faults of the definition (see the steps). */
export const DEFINITION_FAULTS = ['NoChoiceMatched', 'InvalidDuration', 'UnknownCalendar', 'UnknownStep', 'StepLoop'] as const;

/** How many steps one path may run in a row without waiting before it becomes an incident. */
export const MAX_STEPS_WITHOUT_WAIT = 100;

export interface Fault {
  type: string;
  message: string;
  path?: string;
  position?: number;
}

export function faultOf(err: unknown): Fault | undefined {
  if (err instanceof ExpressionError) return { type: err.code, message: err.message, path: err.path, position: err.position };
  if (err instanceof ApplicationFailure && (DEFINITION_FAULTS as readonly string[]).includes(err.type ?? '')) {
    return { type: err.type!, message: err.message };
  }
  return undefined;
}

export const IncidentErrors = {
  notFound: 'IncidentNotFound', // 404
  forbidden: 'NotAnOperator', // 403
} as const;
