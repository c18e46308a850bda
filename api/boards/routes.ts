import { FEATURE_ROLES } from '../../workflows/policy';
import { defineRoute, type RouteDef } from '../routing';
import { errorReply } from '../shared-schemas';
import { Board, BoardColumn, BoardColumnParams, BoardColumnQuery, BoardParams } from './schemas';
import type { BoardService } from './service';

export function boardRoutes(boards: BoardService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/boards/:definitionId',
      summary: "A definition's pipeline board (seed 001's lead-to-customer): its stages as columns with the running instances in each",
      tag: 'leads',
      auth: { roles: FEATURE_ROLES.board },
      params: BoardParams,
      responses: { 200: { description: 'The columns', schema: Board }, 404: errorReply('No such definition') },
      handler: ({ user, params }) => boards.board(user, params.definitionId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/boards/:definitionId/columns/:stage',
      summary: "One page of a board's column, newest first, each card with the moves its open task allows (complete it with that outcome to move the card)",
      tag: 'leads',
      auth: { roles: FEATURE_ROLES.board },
      params: BoardColumnParams,
      query: BoardColumnQuery,
      responses: { 200: { description: 'The page', schema: BoardColumn }, 400: errorReply('A cursor that no page gave (`invalid_cursor`)'), 404: errorReply('No such definition or stage') },
      handler: ({ user, params, query }) => boards.column(user, params.definitionId, params.stage, query),
    }),
  ];
}
