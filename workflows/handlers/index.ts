/**
 * The interpreter's queries, signals and updates, registered in one call. The order of registration
 * is the one recorded histories were made with; keep it.
 */
import { setHandler, type CancellationScope } from '@temporalio/workflow';
import type { ProcessInstance } from '../instance';
import { cancelSignal, stateQuery, type CancelRequest } from '../messages';
import { registerEventHandlers } from './events';
import { registerIncidentHandlers } from './incidents';
import { registerTaskHandlers } from './tasks';

export interface MessageHandlers {
  /** The `cancel` signal's request, once one came while the instance was running. */
  readonly cancelRequest: CancelRequest | undefined;
}

/** Registers every handler of `instance`; a `cancel` signal cancels `main`, the scope the main path runs in. */
export function registerMessageHandlers(instance: ProcessInstance, main: CancellationScope): MessageHandlers {
  let cancelRequest: CancelRequest | undefined;

  setHandler(stateQuery, () => instance.snapshot());
  registerEventHandlers(instance);
  registerIncidentHandlers(instance);
  setHandler(cancelSignal, (request) => {
    if (cancelRequest || instance.state.status !== 'running') return;
    cancelRequest = request;
    main.cancel();
  });
  registerTaskHandlers(instance);

  return {
    get cancelRequest() {
      return cancelRequest;
    },
  };
}
