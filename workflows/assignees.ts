/** Who a definition's tasks go to, as far as its start variables say (the API checks them at start). */
import { stepsById } from './definition';
import { isExpression, plainPathOf } from './expressions';
import type { Step } from './model';

/**
 * User tasks whose assignee is a plain path (`=consultant.username`): who they go to is known from the
 * start variables, so a start can be refused when that is nobody.
 */
export function assigneePaths(steps: Record<string, Step>): Array<{ stepId: string; path: string[] }> {
  return Object.entries(stepsById(steps)).flatMap(([stepId, step]) => {
    if (step.type !== 'userTask' || typeof step.assignee !== 'string' || !isExpression(step.assignee)) return [];
    const path = plainPathOf(step.assignee.slice(1));
    return path ? [{ stepId, path }] : [];
  });
}

