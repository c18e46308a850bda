/** The `resolveIncident` update: an operator's decision on an incident that stops a path. */
import { setHandler } from '@temporalio/workflow';
import { IncidentErrors } from '../incidents';
import type { ProcessInstance } from '../instance';
import { resolveIncidentUpdate } from '../messages';
import type { Actor } from '../model';
import { isOperator } from '../policy';
import { failure } from './failure';

export function registerIncidentHandlers(instance: ProcessInstance): void {
  const { state, runtime } = instance;

  setHandler(
    resolveIncidentUpdate,
    async ({ incidentId, actor }) => {
      const incident = validateIncident(incidentId, actor);
      await instance.engine['engine.resolveIncident']({ id: incident.id, instanceId: state.instanceId, resolution: 'retried', actor: actor.username });
      (runtime.incidentDecisions ??= {})[incident.id] = 'retry';
      return { incidentId, resolution: 'retried' as const };
    },
    { validator: ({ incidentId, actor }) => void validateIncident(incidentId, actor) },
  );

  function validateIncident(incidentId: string, actor: Actor) {
    if (!isOperator(actor)) throw failure(IncidentErrors.forbidden, `${actor.username} is not an operator: only operators act on incidents`);
    const incident = instance.incidents.find((i) => i.id === incidentId);
    if (!incident || (runtime.incidentDecisions ?? {})[incidentId]) {
      throw failure(IncidentErrors.notFound, `incident ${incidentId} is not open in this instance`);
    }
    return incident;
  }
}
