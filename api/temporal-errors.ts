/**
 * Client-side Temporal failures mapped to HTTP. Update rejections carry an ApplicationFailure whose
 * `type` is one of `TaskErrors` or `EventErrors` (workflows/messages.ts); everything else is "not running" or
 * "Temporal unavailable".
 */
import {
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { IncidentErrors } from '../workflows/incidents';
import { EventErrors, TaskErrors } from '../workflows/messages';
import { HttpError } from './errors';

/** The HTTP status of each failure type of the workflow's updates (the API's own task pre-checks answer with the same). */
export const UPDATE_FAILURE_STATUS: Record<string, number> = {
  [TaskErrors.notFound]: 404,
  [TaskErrors.notOpen]: 409,
  [TaskErrors.unknownOutcome]: 422,
  [TaskErrors.invalidData]: 422,
  [TaskErrors.forbidden]: 403,
  [TaskErrors.claimedByOther]: 409,
  [EventErrors.notAwaited]: 409,
  [EventErrors.inFlight]: 409,
  [IncidentErrors.notFound]: 404,
  [IncidentErrors.forbidden]: 403,
};

/** The ApplicationFailure at the root of a failure chain, if any. */
function applicationFailure(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current instanceof ApplicationFailure) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `[x]` → `x`: a single detail argument is returned as is. */
const unwrapDetails = (details: unknown[] | undefined | null) => (!details || details.length === 0 ? null : details.length === 1 ? details[0] : details);

export function toHttpError(err: unknown, workflowId: string): HttpError | unknown {
  if (err instanceof HttpError) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    const failure = applicationFailure(err.cause);
    const status = failure?.type ? UPDATE_FAILURE_STATUS[failure.type] : undefined;
    if (failure && status) return new HttpError(status, failure.type!, failure.message, unwrapDetails(failure.details));
    return new HttpError(422, 'update_failed', failure?.message ?? err.cause?.message ?? err.message, unwrapDetails(failure?.details));
  }
  if (err instanceof WorkflowNotFoundError) {
    return new HttpError(409, 'not_running', `Process ${workflowId} is not running`, { id: workflowId });
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new HttpError(504, 'temporal_timeout', 'The workflow did not answer in time; retry', { id: workflowId });
  }
  if (err instanceof ServiceError) {
    return new HttpError(503, 'temporal_unavailable', `Temporal: ${(err.cause as Error | undefined)?.message ?? err.message}`, { id: workflowId });
  }
  return err;
}
