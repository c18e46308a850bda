/**
 * The access rules of workflows/policy.ts as a table; the integration test
 * (test/integration/authorization.test.ts) shows both layers apply them.
 */
import type { ProcessDefinition } from '../../workflows/model';
import { actingRoles, canSeeDocument, canSeeInstance, canSeeTask, canStart, instanceListScope, taskActionRefusal, type TaskFacts } from '../../workflows/policy';

const actor = (username: string, ...roles: string[]) => ({ username, roles });
const admin = actor('root', 'admin');
const ana = actor('ana', 'sales');
const bob = actor('bob', 'sales');
const ines = actor('ines', 'cashier');

const open = (assignee: string | null = null): TaskFacts => ({ id: 't1', candidateRoles: ['sales'], assignee });

describe('tasks', () => {
  test.each([
    ['a candidate, unclaimed', ana, open(), null],
    ['a candidate, claimed by them', ana, open('ana'), null],
    ['a candidate, claimed by someone else', bob, open('ana'), 'ClaimedByOther'],
    ['an admin taking over a claim', admin, open('ana'), null],
    ['the assignee without a candidate role', ines, open('ines'), 'NotACandidate'],
    ['an outsider', ines, open('ana'), 'TaskNotFound'],
  ])('%s', (_case, who, task, refusal) => {
    expect(taskActionRefusal(who, task)?.code ?? null).toBe(refusal);
    expect(canSeeTask(who, task)).toBe(refusal !== 'TaskNotFound');
  });

  test('whoever completed a task still sees it', () => {
    expect(canSeeTask(ines, { ...open(), completedBy: 'ines' })).toBe(true);
  });
});

describe('instances and definitions', () => {
  const definition = {
    roles: ['sales'],
    steps: {
      split: {
        type: 'parallel',
        branches: [{ name: 'b', start: 'review', steps: { review: { type: 'userTask', title: 'R', roles: ['billing'], outcomes: {}, onOverdue: { escalateTo: ['dcs'] } } } }],
      },
    },
  } as unknown as ProcessDefinition;

  test('the acting roles are the declared ones plus every task role and escalation, branches included', () => {
    expect(actingRoles(definition)).toEqual(['billing', 'dcs', 'sales']);
  });

  test('an instance is seen by admins, its starter and the acting roles', () => {
    const instance = { startedBy: 'ines', actingRoles: actingRoles(definition) };
    expect([admin, ines, ana, actor('pedro', 'client')].map((a) => canSeeInstance(a, instance))).toEqual([true, true, true, false]);
    expect(instanceListScope(ana, [{ definitionId: 'd', version: 1, actingRoles: ['sales'] }, { definitionId: 'e', version: 1, actingRoles: ['client'] }])).toEqual({
      all: false,
      startedBy: 'ana',
      versions: [{ definitionId: 'd', version: 1 }],
    });
    expect(instanceListScope(admin, [])).toEqual({ all: true });
  });

  test('without starters only admins start a definition', () => {
    expect([canStart(admin, {}), canStart(ana, {}), canStart(ana, { starters: [] }), canStart(ana, { starters: ['sales'] })]).toEqual([true, false, false, true]);
  });
});

describe('documents', () => {
  const instance = { startedBy: 'bob', actingRoles: ['billing'] };
  test.each([
    ['its uploader, before it is attached', ana, null, true],
    ['an operator, before it is attached', admin, null, true],
    ['another user of the same role, before it is attached', bob, null, false],
    ['its uploader, once attached to an instance they cannot see', ana, instance, false],
    ['the starter of the instance it is attached to', bob, instance, true],
    ['a holder of a role acting in that instance', actor('bea', 'billing'), instance, true],
    ['an operator, attached', admin, instance, true],
  ])('%s', (_case, who, attachedTo, visible) => {
    expect(canSeeDocument(who, { uploadedBy: 'ana', instance: attachedTo })).toBe(visible);
  });
});
