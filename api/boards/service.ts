/**
 * Pipeline boards (seed 001's lead board): a definition's stages as columns, each paged by keyset, and
 * each card's moves: the outcomes of its open task that lead to another column (domain/board). Dragging
 * a card completes that task (POST /api/tasks/:id/complete), so the process decides and the move is
 * recorded with its actor like any completion.
 */
import { outcomeStages, type OutcomeStages } from '../../domain/board';
import type { DefinitionVersion } from '../../workflows/model';
import { getDefinitionVersion } from '../../lib/definitions/store';
import { toIso } from '../../lib/time';
import { stepsById } from '../../workflows/definition';
import type { AppDeps } from '../deps';
import { badRequest, notFound } from '../errors';
import { createProcessStore, type InstanceRow } from '../processes/store';
import { createInstanceVisibility } from '../processes/visibility';
import { createTaskStore } from '../tasks/store';
import type { SessionUser } from '../types';
import type { BoardColumnQuery } from './schemas';

const cursorOf = (row: { started_at_exact: string; id: string }) => Buffer.from(JSON.stringify([row.started_at_exact, row.id])).toString('base64url');

function readCursor(after: string): { startedAt: string; id: string } {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string];
    if (typeof id === 'string' && typeof startedAt === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(startedAt)) return { startedAt, id };
  } catch {
    // answered below
  }
  throw badRequest('invalid_cursor', 'The `after` cursor is not one a previous page gave', [{ in: 'query', path: '/after', message: 'is not a cursor of this board' }]);
}

/** What a card says: the contact and company of a lead (seed 001's variables), else the business key. */
function titleOf(row: InstanceRow): string {
  const v = row.variables as { contact?: { name?: string }; company?: { name?: string } };
  const name = v.contact?.name;
  return name ? `${name}${v.company?.name ? ` (${v.company.name})` : ''}` : row.business_key;
}

export function createBoardService({ db }: Pick<AppDeps, 'db'>) {
  const instances = createProcessStore(db);
  const tasks = createTaskStore(db);
  const visibility = createInstanceVisibility(db);

  // A deployed version never changes: its moves are read from its steps once per API process.
  const moveCache = new Map<string, OutcomeStages>();
  const movesOf = (dv: DefinitionVersion): OutcomeStages => {
    const key = `${dv.id}@${dv.version}`;
    if (!moveCache.has(key)) moveCache.set(key, outcomeStages(stepsById(dv.definition.steps)));
    return moveCache.get(key)!;
  };

  async function definitionOf(id: string) {
    const dv = await getDefinitionVersion(db, id);
    if (!dv) throw notFound(`No definition ${id} is deployed`, { definitionId: id });
    return dv;
  }

  return {
    async board(user: SessionUser, definitionId: string) {
      const dv = await definitionOf(definitionId);
      const counts = await instances.stageCounts(definitionId, await visibility.listScope(user));
      return { definitionId, columns: (dv.definition.stages ?? []).map((stage) => ({ stage, count: counts.get(stage) ?? 0 })) };
    },

    async column(user: SessionUser, definitionId: string, stage: string, q: BoardColumnQuery) {
      const dv = await definitionOf(definitionId);
      if (!(dv.definition.stages ?? []).includes(stage)) throw notFound(`${definitionId} has no stage ${stage}`, { definitionId, stage, stages: dv.definition.stages ?? [] });
      const limit = q.limit ?? 25;
      const rows = await instances.stagePage(definitionId, stage, await visibility.listScope(user), q.after ? readCursor(q.after) : null, limit);
      const moves = movesOf(dv);
      const open = await tasks.openFor(rows.map((r) => r.id));
      return {
        stage,
        next: rows.length === limit ? cursorOf(rows[rows.length - 1]) : null,
        items: rows.map((r) => ({
          processId: r.id, businessKey: r.business_key, title: titleOf(r), startedBy: r.started_by, startedAt: toIso(r.started_at)!,
          moves: open
            .filter((t) => t.instance_id === r.id)
            .flatMap((t) => Object.entries(moves[t.step_id] ?? {}).filter(([, to]) => to !== stage).map(([outcome, to]) => ({ stage: to, taskId: t.id, outcome }))),
        })),
      };
    },
  };
}

export type BoardService = ReturnType<typeof createBoardService>;
