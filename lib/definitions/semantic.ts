/**
 * Checks a schema-valid definition for what JSON Schema cannot express: transitions, reachability,
 * catalogs (activities, roles, stages, definitions), expressions and durations; the embedded JSON
 * Schemas (start variables, task forms) are checked in embedded-schemas.ts.
 * Pure over the parsed value: problems carry a JSON pointer, and the caller turns it into a line.
 */
import { mentionsBusinessTime, parseBusinessDuration } from '../../domain/calendar/duration';
import { eventNames, stepsById } from '../../workflows/definition';
import { parseDuration } from '../../workflows/duration';
import { compileExpression, isExpression } from '../../workflows/expressions';
import type { ProcessDefinition, Step, UserTaskStep } from '../../workflows/model';
import { checkCycles } from './cycles';
import { checkDocumentKinds, checkFormDocuments } from './documents';
import { checkEmbeddedSchemas } from './embedded-schemas';
import { didYouMean, pointer } from './errors';
import type { Anchor } from './load';
import type { TemplateCatalog } from '../mail/templates';
import { TASK_LINK_DATA, TASK_LINK_TEMPLATE } from '../task-links/mail';
import { checkNotification, NOTIFY_ACTIVITY } from './templates-check';

export interface DefinitionCatalog {
  /** Registered activity names (lib/definitions/activity-catalog.ts). */
  activities: string[];
  /** Role ids (definitions/roles.yaml). */
  roles: string[];
  /** Known definition ids, for subProcess targets; unset: subProcess targets are not checked. */
  definitions?: string[];
  /** Business calendar ids (definitions/calendars.yaml); unset: a literal `calendar` is not checked. */
  calendars?: string[];
  /** E-mail templates (definitions/templates/); unset: what notifications.send steps send is not checked. */
  templates?: TemplateCatalog;
}

export interface SemanticProblem {
  path: string;
  message: string;
  anchor?: Anchor;
}

export type Path = Array<string | number>;

/** A set of steps that may go to each other: the top level, or one parallel branch. */
interface Scope {
  label: string;
  isBranch: boolean;
  steps: Record<string, Step>;
  stepsPath: Path;
  /** Entry points: `start`/`onCancel`, or the branch's `start`. */
  entries: Array<{ target: string; path: Path }>;
}

interface Transition {
  target: string;
  path: Path;
}

export function checkSemantics(definition: ProcessDefinition, catalog: DefinitionCatalog): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const report = (path: Path, message: string, anchor: Anchor = 'value') => problems.push({ path: pointer(path), message, anchor });

  const scopes = collectScopes(definition);
  checkUniqueIds(scopes, report);
  const brokenScopes = checkTransitions(scopes, report);
  checkReachability(scopes.filter((s) => !brokenScopes.has(s)), report);
  checkWayForward(scopes, report);
  checkCycles(scopes, (step) => transitionsOf(step, []).map((t) => t.target), report);
  for (const scope of scopes) {
    for (const [id, step] of Object.entries(scope.steps)) checkStep(definition, catalog, step, [...scope.stepsPath, id], report);
  }
  checkDeclaredRoles(definition, catalog, report);
  checkCalendar(definition, catalog, report);
  checkMessages(definition, report);
  checkDocumentKinds(definition, report);
  checkEmbeddedSchemas(definition, report);
  return problems;
}

export type Report = (path: Path, message: string, anchor?: Anchor) => void;

function collectScopes(definition: ProcessDefinition): Scope[] {
  const top: Scope = {
    label: 'the top level',
    isBranch: false,
    steps: definition.steps,
    stepsPath: ['steps'],
    entries: [
      { target: definition.start, path: ['start'] },
      ...(definition.onCancel !== undefined ? [{ target: definition.onCancel, path: ['onCancel'] }] : []),
    ],
  };
  const scopes: Scope[] = [];
  const visit = (scope: Scope) => {
    scopes.push(scope);
    for (const [id, step] of Object.entries(scope.steps)) {
      if (step.type !== 'parallel') continue;
      step.branches.forEach((branch, i) => {
        const branchPath = [...scope.stepsPath, id, 'branches', i];
        visit({
          label: `branch '${branch.name}' of step '${id}'`,
          isBranch: true,
          steps: branch.steps,
          stepsPath: [...branchPath, 'steps'],
          entries: [{ target: branch.start, path: [...branchPath, 'start'] }],
        });
      });
    }
  };
  visit(top);
  return scopes;
}

function transitionsOf(step: Step, path: Path): Transition[] {
  const at = (target: string | undefined, ...rest: Path): Transition[] => (target === undefined ? [] : [{ target, path: [...path, ...rest] }]);
  switch (step.type) {
    case 'activity':
      return [...at(step.next, 'next'), ...at(step.onError?.next, 'onError', 'next')];
    case 'userTask':
      return [
        ...Object.entries(step.outcomes).flatMap(([name, o]) => at(o.next, 'outcomes', name, 'next')),
        ...at(step.onOverdue?.next, 'onOverdue', 'next'),
        ...Object.entries(step.events ?? {}).flatMap(([name, e]) => at(e.next, 'events', name, 'next')),
      ];
    case 'wait':
      return [
        ...Object.entries(step.events ?? {}).flatMap(([name, e]) => at(e.next, 'events', name, 'next')),
        ...at(step.timer?.next, 'timer', 'next'),
      ];
    case 'choice':
      return [...step.choices.flatMap((c, i) => at(c.next, 'choices', i, 'next')), ...at(step.default, 'default')];
    case 'parallel':
    case 'subProcess':
    case 'setStage':
    case 'send':
      return at(step.next, 'next');
    case 'end':
      return [];
  }
}

function checkUniqueIds(scopes: Scope[], report: Report) {
  const seen = new Map<string, Path>();
  for (const scope of scopes) {
    for (const id of Object.keys(scope.steps)) {
      const path = [...scope.stepsPath, id];
      const first = seen.get(id);
      if (first) report(path, `duplicate step id '${id}' (also at ${pointer(first)}): step ids must be unique across the whole definition, branches included`, 'key');
      else seen.set(id, path);
    }
  }
}

/** Returns the scopes with a bad target, whose reachability would only echo that error. */
function checkTransitions(scopes: Scope[], report: Report): Set<Scope> {
  const broken = new Set<Scope>();
  const owner = new Map<string, Scope>();
  for (const scope of scopes) for (const id of Object.keys(scope.steps)) if (!owner.has(id)) owner.set(id, scope);
  for (const scope of scopes) {
    const all = [...scope.entries, ...Object.entries(scope.steps).flatMap(([id, step]) => transitionsOf(step, [...scope.stepsPath, id]))];
    for (const { target, path } of all) {
      if (Object.hasOwn(scope.steps, target)) continue;
      broken.add(scope);
      const other = owner.get(target);
      if (!other) report(path, `unknown step '${target}'${didYouMean(target, Object.keys(scope.steps))}`);
      else if (scope.isBranch) report(path, `step '${target}' is outside ${scope.label}: a branch's steps can only go to steps of the same branch`);
      else report(path, `step '${target}' is inside ${other.label}: ${scope.label} cannot jump into a branch`);
    }
  }
  return broken;
}

function checkReachability(scopes: Scope[], report: Report) {
  for (const scope of scopes) {
    const reached = new Set<string>();
    const queue = scope.entries.map((e) => e.target);
    while (queue.length) {
      const id = queue.shift()!;
      if (reached.has(id) || !Object.hasOwn(scope.steps, id)) continue;
      reached.add(id);
      queue.push(...transitionsOf(scope.steps[id], []).map((t) => t.target));
    }
    const from = scope.isBranch ? `the start of ${scope.label}` : `'start'${scope.entries.length > 1 ? " or 'onCancel'" : ''}`;
    for (const id of Object.keys(scope.steps)) {
      if (!reached.has(id)) report([...scope.stepsPath, id], `step '${id}' is unreachable from ${from}`, 'key');
    }
  }
}

/** Outside a branch only `end` may stop: a step with nowhere to go would leave the instance running forever. */
function checkWayForward(scopes: Scope[], report: Report) {
  for (const scope of scopes) {
    for (const [id, step] of Object.entries(scope.steps)) {
      const path = [...scope.stepsPath, id];
      if (step.type === 'wait' && Object.keys(step.events ?? {}).length === 0 && !step.timer) {
        report(path, `wait step '${id}' has nothing to wait for: add at least one of 'events' or 'timer'`, 'key');
        continue;
      }
      if (scope.isBranch) continue;
      // userTask/choice always have a way forward (schema: outcomes/choices are non-empty); onError is no success path.
      const needsNext = step.type === 'activity' || step.type === 'subProcess' || step.type === 'setStage' || step.type === 'send' || step.type === 'parallel';
      if (needsNext && step.next === undefined) {
        report(path, `step '${id}' (${step.type}) has no way forward: add 'next' (only 'end' steps, and steps inside a parallel branch, may stop)`, 'key');
      }
    }
  }
}

/** A participant task's link e-mail: its expressions, its expiry, and the `task-link` template with the data the engine gives it. */
function checkParticipant(catalog: DefinitionCatalog, participant: NonNullable<UserTaskStep['participant']>, path: Path, report: Report) {
  for (const field of ['email', 'name', 'language'] as const) checkExpressionsIn(participant[field], [...path, field], report);
  checkDuration(participant.expiresIn, [...path, 'expiresIn'], report);
  checkNotification(catalog.templates, NOTIFY_ACTIVITY, { template: TASK_LINK_TEMPLATE, language: participant.language, data: TASK_LINK_DATA }, path, report);
}

function checkStep(definition: ProcessDefinition, catalog: DefinitionCatalog, step: Step, path: Path, report: Report) {
  switch (step.type) {
    case 'activity':
      checkActivity(catalog, step.activity, [...path, 'activity'], report);
      checkExpressionsIn(step.input, [...path, 'input'], report);
      checkNotification(catalog.templates, step.activity, step.input, [...path, 'input'], report);
      checkDuration(step.timeout, [...path, 'timeout'], report);
      checkDuration(step.totalTimeout, [...path, 'totalTimeout'], report);
      checkDuration(step.retry?.initialInterval, [...path, 'retry', 'initialInterval'], report);
      checkDuration(step.retry?.maximumInterval, [...path, 'retry', 'maximumInterval'], report);
      return;
    case 'userTask':
      checkExpressionsIn(step.title, [...path, 'title'], report);
      checkExpressionsIn(step.assignee, [...path, 'assignee'], report);
      checkDuration(step.dueIn, [...path, 'dueIn'], report, definition);
      step.roles.forEach((role, i) => checkRoleUse(definition, catalog, role, [...path, 'roles', i], report));
      checkFormDocuments(definition, step, path, report);
      step.onOverdue?.escalateTo?.forEach((role, i) => checkRoleUse(definition, catalog, role, [...path, 'onOverdue', 'escalateTo', i], report));
      if (step.onOverdue?.notify) {
        checkActivity(catalog, step.onOverdue.notify.activity, [...path, 'onOverdue', 'notify', 'activity'], report);
        checkExpressionsIn(step.onOverdue.notify.input, [...path, 'onOverdue', 'notify', 'input'], report);
        checkNotification(catalog.templates, step.onOverdue.notify.activity, step.onOverdue.notify.input, [...path, 'onOverdue', 'notify', 'input'], report);
      }
      if (step.participant) checkParticipant(catalog, step.participant, [...path, 'participant'], report);
      return;
    case 'wait':
      checkDuration(step.timer?.after, [...path, 'timer', 'after'], report, definition);
      return;
    case 'choice':
      // `when` is always an expression, with or without the `=`.
      step.choices.forEach((c, i) => checkExpression(c.when, [...path, 'choices', i, 'when'], report));
      return;
    case 'subProcess':
      if (catalog.definitions && !catalog.definitions.includes(step.definition)) {
        report([...path, 'definition'], `unknown definition '${step.definition}'${didYouMean(step.definition, catalog.definitions)}`);
      }
      checkExpressionsIn(step.businessKey, [...path, 'businessKey'], report);
      checkExpressionsIn(step.input, [...path, 'input'], report);
      return;
    case 'setStage':
      if (!(definition.stages ?? []).includes(step.stage)) {
        report([...path, 'stage'], `stage '${step.stage}' is not declared in this definition's 'stages'${didYouMean(step.stage, definition.stages ?? [])}`);
      }
      checkExpressionsIn(step.actor, [...path, 'actor'], report);
      return;
    case 'parallel':
      checkBranchNames(step.branches, [...path, 'branches'], report);
      return;
    case 'send':
      if (catalog.definitions && !catalog.definitions.includes(step.to.definition)) {
        report([...path, 'to', 'definition'], `unknown definition '${step.to.definition}'${didYouMean(step.to.definition, catalog.definitions)}`);
      }
      checkExpressionsIn(step.to.businessKey, [...path, 'to', 'businessKey'], report);
      checkExpressionsIn(step.payload, [...path, 'payload'], report);
      return;
    case 'end':
      return;
  }
}

/**
 * The interpreter identifies a branch by its name (its path id, and the list of finished branches a
 * resumed parallel step skips: workflows/steps/parallel.ts): two branches with one name would collide.
 */
function checkBranchNames(branches: Array<{ name: string }>, path: Path, report: Report) {
  const seen = new Map<string, number>();
  branches.forEach((branch, i) => {
    const first = seen.get(branch.name);
    if (first === undefined) seen.set(branch.name, i);
    else report([...path, i, 'name'], `duplicate branch name '${branch.name}' (also at ${pointer([...path, first, 'name'])}): branch names must be unique within a parallel step`);
  });
}

function checkActivity(catalog: DefinitionCatalog, name: string, path: Path, report: Report) {
  if (name.startsWith('engine.')) {
    report(path, `activity '${name}' is reserved for the interpreter: definitions may not call engine.* activities`);
  } else if (!catalog.activities.includes(name)) {
    report(path, `unknown activity '${name}' (not in lib/definitions/activity-catalog.ts)${didYouMean(name, catalog.activities)}`);
  }
}

function checkRoleUse(definition: ProcessDefinition, catalog: DefinitionCatalog, role: string, path: Path, report: Report) {
  const declared = (definition.roles ?? []).includes(role);
  // A declared-but-unknown role is reported once, at its declaration.
  if (declared) return;
  if (!catalog.roles.includes(role)) report(path, `unknown role '${role}' (not in definitions/roles.yaml)${didYouMean(role, catalog.roles)}`);
  else report(path, `role '${role}' is not declared in this definition's 'roles'`);
}

/** `roles` and `starters` name roles of the catalog (starters need not act in the process: they only start it). */
function checkDeclaredRoles(definition: ProcessDefinition, catalog: DefinitionCatalog, report: Report) {
  for (const key of ['roles', 'starters'] as const) {
    (definition[key] ?? []).forEach((role, i) => {
      if (!catalog.roles.includes(role)) report([key, i], `unknown role '${role}' (not in definitions/roles.yaml)${didYouMean(role, catalog.roles)}`);
    });
  }
}

function checkExpression(src: string, path: Path, report: Report) {
  try {
    compileExpression(src);
  } catch (err) {
    const e = err as { message?: string; position?: number };
    report(path, `${e.message ?? String(err)}${typeof e.position === 'number' ? ` (at character ${e.position})` : ''}`);
  }
}

/** Every `=` string anywhere inside `value` (input mappings may nest objects and arrays). */
function checkExpressionsIn(value: unknown, path: Path, report: Report) {
  if (isExpression(value)) checkExpression(value, path, report);
  else if (Array.isArray(value)) value.forEach((v, i) => checkExpressionsIn(v, [...path, i], report));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkExpressionsIn(v, [...path, k], report);
}

/**
 * A duration that parses. With `definition` (dueIn, timers) it may be working time, which needs the
 * definition's `calendar`; activity timeouts and retries are always calendar time (Temporal counts them).
 */
function checkDuration(spec: string | undefined, path: Path, report: Report, definition?: ProcessDefinition) {
  if (spec === undefined) return;
  if (isExpression(spec)) return checkExpression(spec, path, report);
  if (parseBusinessDuration(spec)) {
    if (!definition) report(path, `"${spec}" is working time: only dueIn and timers may count business time (Temporal counts timeouts and retries in calendar time)`);
    else if (definition.calendar === undefined) report(path, `"${spec}" counts working time but the definition names no calendar: add e.g. \`calendar: CO\` at the top level`);
    return;
  }
  if (definition && mentionsBusinessTime(spec)) {
    report(path, `invalid business duration "${spec}": expected e.g. 2 business days, 1 business day or 4 business hours`);
    return;
  }
  try {
    parseDuration(spec);
  } catch (err) {
    report(path, (err as Error).message);
  }
}

/** A literal `calendar` names one of definitions/calendars.yaml; an expression must parse (its value is checked at run time). */
function checkCalendar(definition: ProcessDefinition, catalog: DefinitionCatalog, report: Report) {
  const calendar = definition.calendar;
  if (calendar === undefined) return;
  if (isExpression(calendar)) return checkExpression(calendar, ['calendar'], report);
  if (catalog.calendars && !catalog.calendars.includes(calendar)) {
    report(['calendar'], `unknown calendar '${calendar}' (not in definitions/calendars.yaml: ${catalog.calendars.join(', ')})${didYouMean(calendar, catalog.calendars)}`);
  }
}

/** A message heard as an event needs a step that waits for that event, or it could never be taken. */
function checkMessages(definition: ProcessDefinition, report: (path: Path, message: string, anchor?: Anchor) => void): void {
  const events = new Set(Object.values(stepsById(definition.steps)).flatMap(eventNames));
  for (const [name, listener] of Object.entries(definition.messages ?? {})) {
    if (listener.event && !events.has(listener.event)) {
      const known = [...events].sort();
      report(
        ['messages', name, 'event'],
        `message ${name} is heard as event "${listener.event}", which no step waits for${known.length ? `; the steps wait for ${known.join(', ')}${didYouMean(listener.event, known)}` : ' (no step waits for any event)'}`,
      );
    }
  }
}
