/**
 * Who may see and do what: every access rule of Cauce, in one pure module (no I/O, types only), so the
 * API's pre-checks and the interpreter's update validators judge with the same functions and cannot
 * disagree. The callers bring the facts (a task, an instance's starter and definition, the actor); this
 * module only decides.
 *
 * Two answers to a caller who may not: a resource the caller may not see is answered as if it did not
 * exist (404, so existence is not revealed); 403 is kept for what does not depend on a resource (a route
 * the caller's roles never reach: deploy, cancel, sign-ups) and for a resource the caller sees but may
 * not act on (a task they are assigned to without holding its role; a definition they may not start).
 * Definitions themselves (the process design, no personal data) are readable by every signed-in user.
 */
import type { TaskErrors } from './messages';
import type { Actor, ProcessDefinition, Step } from './model';

/** Operators run Cauce: they see every task, instance and record, and may take any task over. */
export const OPERATOR_ROLE = 'admin';

type Who = Pick<Actor, 'roles'>;

export const isOperator = (actor: Who): boolean => actor.roles.includes(OPERATOR_ROLE);

/** Holds one of `roles`, or is an operator (who always may). */
export const holdsAny = (actor: Who, roles: readonly string[]): boolean => isOperator(actor) || actor.roles.some((r) => roles.includes(r));

// ---- tasks -------------------------------------------------------------------------------------

/** What the task rules look at, from the workflow's open task or from the `tasks` row alike. */
export interface TaskFacts {
  id: string;
  candidateRoles: readonly string[];
  assignee: string | null;
  /** Who completed it (closed tasks only). */
  completedBy?: string | null;
}

/**
 * A task is visible to its candidate roles, its assignee, whoever completed it, and operators.
 * The inbox's SQL (api/tasks/store.ts, `visibleTo`) applies this same rule to lists.
 */
export function canSeeTask(actor: Actor, task: TaskFacts): boolean {
  return (
    holdsAny(actor, task.candidateRoles) ||
    (task.assignee !== null && task.assignee === actor.username) ||
    (!!task.completedBy && task.completedBy === actor.username)
  );
}

type TaskErrorCode = (typeof TaskErrors)[keyof typeof TaskErrors];

export interface TaskRefusal {
  /** The failure type both layers answer with (TaskErrors: 404, 403, 409). */
  code: Extract<TaskErrorCode, 'TaskNotFound' | 'NotACandidate' | 'ClaimedByOther'>;
  message: string;
}

/**
 * Claim, release and complete follow one rule:
 *   - whoever may not see the task is told it does not exist (TaskNotFound);
 *   - a candidate role is needed: being the assignee alone is not enough (NotACandidate);
 *   - a task claimed by someone else is theirs (ClaimedByOther), except for an operator, who may take
 *     it over (claim it, release it or complete it).
 * Whether the task is still open, the outcome and the form data are checked by the callers.
 */
export function taskActionRefusal(actor: Actor, task: TaskFacts): TaskRefusal | null {
  if (!canSeeTask(actor, task)) return { code: 'TaskNotFound', message: `Task ${task.id} not found` };
  if (isOperator(actor)) return null;
  if (!actor.roles.some((r) => task.candidateRoles.includes(r))) {
    return {
      code: 'NotACandidate',
      message: `Task ${task.id} is for ${task.candidateRoles.join(', ')}; ${actor.username} has ${actor.roles.join(', ') || 'no roles'}`,
    };
  }
  if (task.assignee && task.assignee !== actor.username) {
    return { code: 'ClaimedByOther', message: `Task ${task.id} is claimed by ${task.assignee}` };
  }
  return null;
}

// ---- instances and definitions -------------------------------------------------------------------

/**
 * The roles that act in a definition: its `roles`, and every userTask's roles and escalation roles
 * (validation requires those to be declared in `roles`; they are collected anyway).
 */
export function actingRoles(definition: Pick<ProcessDefinition, 'roles' | 'steps'>): string[] {
  const roles = new Set(definition.roles ?? []);
  const visit = (steps: Record<string, Step>) => {
    for (const step of Object.values(steps)) {
      if (step.type === 'userTask') {
        step.roles.forEach((r) => roles.add(r));
        step.onOverdue?.escalateTo?.forEach((r) => roles.add(r));
      } else if (step.type === 'parallel') {
        for (const branch of step.branches) visit(branch.steps);
      }
    }
  };
  visit(definition.steps);
  return [...roles].sort();
}

/** What the instance rule looks at. */
export interface InstanceFacts {
  /** Username that started it (`process:<id>` for a child process). */
  startedBy: string;
  /** actingRoles() of the definition version it runs; empty when that version is unknown. */
  actingRoles: readonly string[];
}

/**
 * An instance, with its variables, tasks and timeline, is visible to operators, to whoever started
 * it, and to holders of a role that acts in its definition.
 */
export function canSeeInstance(actor: Actor, instance: InstanceFacts): boolean {
  return instance.startedBy === actor.username || holdsAny(actor, instance.actingRoles);
}

/**
 * A document is seen by whoever may see the instance it is attached to (canSeeInstance); before a task
 * completion attaches it, only by its uploader and operators.
 */
export function canSeeDocument(actor: Actor, document: { uploadedBy: string; instance: InstanceFacts | null }): boolean {
  if (document.instance) return canSeeInstance(actor, document.instance);
  return document.uploadedBy === actor.username || isOperator(actor);
}

/**
 * Who may see which instances in a list: `all` (operators), or the ones this user started plus those
 * of the definition versions whose acting roles they hold. Lists apply the same rule as canSeeInstance.
 */
export type InstanceListScope =
  | { all: true }
  | { all: false; startedBy: string; versions: Array<{ definitionId: string; version: number }> };

export function instanceListScope(
  actor: Actor,
  versions: ReadonlyArray<{ definitionId: string; version: number; actingRoles: readonly string[] }>,
): InstanceListScope {
  if (isOperator(actor)) return { all: true };
  return {
    all: false,
    startedBy: actor.username,
    versions: versions.filter((v) => holdsAny(actor, v.actingRoles)).map(({ definitionId, version }) => ({ definitionId, version })),
  };
}

/**
 * The roles that may start a definition through `POST /api/processes`: its `starters`, and operators.
 * Without `starters`, operators only. Starts made by Cauce itself (a feature API such as sign-up or
 * leads, whose routes carry their own role checks; a subProcess step) do not consult it.
 */
export function canStart(actor: Actor, definition: Pick<ProcessDefinition, 'starters'>): boolean {
  return holdsAny(actor, definition.starters ?? []);
}

// ---- domain records and features -------------------------------------------------------------------

/**
 * The roles that work each kind of domain record, and so may read one (operators always may). A
 * caller outside them is answered 404 for a specific record, like one that does not exist.
 */
export const RECORD_READERS = {
  /** Digital accounts (email, RUT, invoices): customer success, the commercial owner, support, billing and the store. */
  account: ['dcs', 'sales', 'support', 'billing', 'integration'],
  /** An invoice's PDF: the readers of accounts, and seed 002's cashier (who prints it) and collections. */
  invoice: ['dcs', 'sales', 'support', 'billing', 'integration', 'cashier', 'collections'],
  /** Contact imports and their rows: whoever brings leads in. */
  contactImport: ['sales', 'dcs', 'integration'],
  /** Seed 001's signed contracts: the salespeople who send them and billing, who invoices the customer. */
  contract: ['sales', 'billing'],
} as const satisfies Record<string, readonly string[]>;

/**
 * What a role may do through the feature APIs (each route names its entry; operators always may). A
 * caller outside them gets 403: the answer does not depend on any record.
 */
/** The seed-003 roles that see every consultant, not only a network (a leader sees theirs). */
export const WHOLE_SALES_FORCE = ['back-office'] as const;

export const FEATURE_ROLES = {
  /** Sign accounts up and add modules: the store's integration user and the sales staff. */
  signUp: ['integration', 'sales', 'dcs'],
  /** Post payments (the store's webhook). */
  pay: ['integration', 'billing'],
  /** Bring leads in, one or by CSV. */
  bringLeads: ['sales', 'dcs', 'integration'],
  /** Sales figures: the commercial, customer-facing and billing teams, and their leads. */
  funnelReport: ['sales', 'dcs', 'support', 'billing', 'digital-sales-lead'],
  /** Seed 002's billing KPI: billing, collections and the digital channels' and sales' leads. */
  billingKpi: ['billing', 'collections', 'digital-channels-lead', 'digital-sales-lead'],
  /** Seed 002's general digital-sales report: the digital sales lead (who sends it to the head of sales) and the channels' lead. */
  digitalSalesReport: ['digital-sales-lead', 'digital-channels-lead'],
  /** Seed 002's unattended requests: the digital channels' lead reviews them (and re-enters them), the sales lead follows them up. */
  unattendedRequests: ['digital-channels-lead', 'digital-sales-lead'],
  /** Seed 001's catalog and estimates: the salespeople who propose them. */
  estimates: ['sales'],
  /** Seed 001's web-to-lead form, to embed in the company website: the salespeople it brings leads to. */
  leadForm: ['sales'],
  /** Seed 001's notes on a lead: the salespeople who work it. */
  leadNotes: ['sales'],
  /** Seed 001's support tickets: support works them, and salespeople open them for their customers and follow them. */
  tickets: ['support', 'sales'],
  /** Seed 001's pipeline board of leads: the salespeople who move them. */
  board: ['sales'],
  /** Seed 003's registrations: who starts the enrollment (a leader for their network, back office, the self-service site and chatbot through the integration user). */
  registerConsultants: ['consultant-leader', 'back-office', 'self-service', 'integration'],
  /** Seed 003's consultants list and page: back office, and a leader for their own network. */
  consultants: ['back-office', 'consultant-leader'],
  /** A consultant's start kit: its payment (the store's integration user, back office) and a credit request for it. */
  kitPayments: ['integration', 'back-office'],
  /** Inactivate a consultant: back office, or the company's systems by web service. */
  inactivateConsultants: ['back-office', 'integration'],
  /** Reactivate a consultant: back office, or the leader of their network. */
  reactivateConsultants: ['back-office', 'consultant-leader'],
  /** Seed 003's agreements (contracts, terms, Habeas Data) and who accepted them: back office publishes and reports them. */
  agreements: ['back-office'],
  /** Seed 003's blacklist and its reasons: back office keeps them. */
  blacklist: ['back-office'],
  /** Import COMTECO's bank statements, which transfers are matched against: collections. */
  importStatements: ['collections'],
  /** Re-enter an unattended residential sale: the digital channels' lead. */
  reenterSales: ['digital-channels-lead'],
  /** Seed 002's coverage table: who sells on it and who checks capacity read it ... */
  readCoverage: ['digital-sales-executive', 'help-desk', 'digital-channels-lead', 'digital-sales-lead'],
  /** ... and the digital channels' lead loads it (from Smartflex/GIS exports). */
  loadCoverage: ['digital-channels-lead'],
} as const satisfies Record<string, readonly string[]>;
