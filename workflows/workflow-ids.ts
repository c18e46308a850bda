/**
 * Workflow ids of process instances: `<definitionId>/<businessKey>`, readable in the Temporal UI and
 * unique while running (Temporal refuses a second running workflow with the same id). Pure: the API
 * routes messages with it and workflows start children with it.
 */

/** `%` and `/` are escaped in the key, so the first `/` always ends the definition id. */
export function workflowIdOf(definitionId: string, businessKey: string): string {
  return `${definitionId}/${businessKey.replace(/%/g, '%25').replace(/\//g, '%2F')}`;
}

/** The definition id and business key of a workflow id made by `workflowIdOf`; null for any other id. */
export function parseWorkflowId(workflowId: string): { definitionId: string; businessKey: string } | null {
  const slash = workflowId.indexOf('/');
  if (slash <= 0) return null;
  return { definitionId: workflowId.slice(0, slash), businessKey: workflowId.slice(slash + 1).replace(/%2F/g, '/').replace(/%25/g, '%') };
}
