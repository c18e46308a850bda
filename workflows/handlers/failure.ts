import { ApplicationFailure } from '@temporalio/workflow';

/** A refusal a handler or validator answers with: typed, so the API maps it to its status code. */
export function failure(type: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}
