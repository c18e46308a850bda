/**
 * Seed 001's pipeline board: `/board`. The lead process's stages are the columns, each loaded a page
 * at a time; a card is dragged (@dnd-kit) to a column its open task allows. The drop completes that
 * task with the outcome leading there, or, when the task asks for a form, opens the task page with it,
 * so the process decides and the move is recorded with who made it.
 */
import { DndContext, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, asApiError, type ApiError } from '../api/client';
import type { BoardCard, BoardColumn } from '../api/types';
import { ErrorMessage, Loading } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';

const DEFINITION = 'lead-to-customer';

type Columns = Record<string, BoardColumn>;

export function BoardPage() {
  usePageTitle('Leads board');
  const navigate = useNavigate();
  const [stages, setStages] = useState<Array<{ stage: string; count: number }>>();
  const [columns, setColumns] = useState<Columns>({});
  const [error, setError] = useState<ApiError>();
  const [moving, setMoving] = useState<string>();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }));

  const load = useCallback(async () => {
    try {
      const board = await api.board(DEFINITION);
      setStages(board.columns);
      const pages = await Promise.all(board.columns.map((c) => api.boardColumn(DEFINITION, c.stage)));
      setColumns(Object.fromEntries(pages.map((p) => [p.stage, p])));
    } catch (err) {
      setError(asApiError(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function more(stage: string) {
    const page = await api.boardColumn(DEFINITION, stage, columns[stage].next ?? undefined);
    setColumns((c) => ({ ...c, [stage]: { ...page, items: [...c[stage].items, ...page.items] } }));
  }

  async function onDragEnd(e: DragEndEvent) {
    const card = e.active.data.current as BoardCard | undefined;
    const to = e.over?.id as string | undefined;
    const move = card?.moves.find((m) => m.stage === to);
    if (!card || !move) return;
    setMoving(card.processId);
    setError(undefined);
    try {
      const task = await api.task(move.taskId);
      // A task that asks for a form is completed on its page, with the outcome the drop chose.
      if (task.form && Object.keys((task.form as { properties?: object }).properties ?? {}).length) return void navigate(`/tasks/${move.taskId}?outcome=${encodeURIComponent(move.outcome)}`);
      await api.completeTask(move.taskId, move.outcome, {});
      await load();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setMoving(undefined);
    }
  }

  if (!stages) return error ? <ErrorMessage error={error} title="The board could not be loaded" /> : <Loading what="the board" />;
  return (
    <section>
      <h1>Leads board</h1>
      {error && <ErrorMessage error={error} title="The card was not moved" />}
      <DndContext sensors={sensors} onDragEnd={(e) => void onDragEnd(e)}>
        <div className="board">
          {stages.map(({ stage, count }) => (
            <Column key={stage} stage={stage} count={count} column={columns[stage]} moving={moving} onMore={() => void more(stage)} />
          ))}
        </div>
      </DndContext>
    </section>
  );
}

function Column({ stage, count, column, moving, onMore }: { stage: string; count: number; column?: BoardColumn; moving?: string; onMore: () => void }) {
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  return (
    <div ref={setNodeRef} className={`board-column${isOver ? ' over' : ''}`} role="region" aria-label={`Column ${stage}`}>
      <h2>
        {stage} <small>{count}</small>
      </h2>
      {column?.items.map((card) => <Card key={card.processId} card={card} busy={moving === card.processId} />)}
      {column?.next && (
        <button type="button" onClick={onMore}>
          More
        </button>
      )}
    </div>
  );
}

function Card({ card, busy }: { card: BoardCard; busy: boolean }) {
  const { attributes, listeners, setNodeRef, transform } = useDraggable({ id: card.processId, data: card, disabled: card.moves.length === 0 });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined;
  return (
    <article ref={setNodeRef} className={`board-card${busy ? ' busy' : ''}`} style={style} aria-label={card.title} {...listeners} {...attributes}>
      {/* Not natively draggable: a link dragged by the browser would take the pointer from the board. */}
      <Link to={`/processes/${encodeURIComponent(card.processId)}`} draggable={false}>
        {card.title}
      </Link>
      <small>
        {card.startedBy} · {new Date(card.startedAt).toLocaleDateString('es-CO')}
      </small>
      {card.moves.length > 0 && <small className="muted">Drag to: {card.moves.map((m) => m.stage).join(', ')}</small>}
    </article>
  );
}
