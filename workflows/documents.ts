/**
 * Document rules of a definition, pure: which task-form fields ask for a document and which take
 * verdicts on documents, what a completion must hold for them, and when a document is too old. The
 * workflow's completeTask validator applies `documentProblems` to the data it receives (the final
 * arbiter); the API applies the rules that need the database (the document exists, is of the kind, is
 * not expired: `documentAgeProblem`) before it sends the update.
 *
 * In a form (top-level properties, or the properties of an array's object items):
 *   - `{ type: string, x-cauce-document: <kind> }`: the value is a document id (POST /api/documents);
 *     in `{ type: array, items: { type: object, properties: { image: { …, x-cauce-document: <kind> } } } }`
 *     each item holds one (a product and its image), found at `/products/3/image`;
 *   - `{ type: object, x-cauce-verdicts: [<kind>, …] }`: the value maps each kind to
 *     `{ verdict: accepted }` or `{ verdict: rejected, reason }`.
 */
import { parseDuration } from './duration';
import type { FormProblem } from './forms';
import type { DocumentKind, ProcessDefinition, UserTaskStep } from './model';

const DAY_MS = 86_400_000;

export const DOCUMENT_KEYWORD = 'x-cauce-document';
export const VERDICTS_KEYWORD = 'x-cauce-verdicts';

export type DocumentKinds = NonNullable<ProcessDefinition['documents']>;

export interface DocumentField {
  field: string;
  kind: string;
  /** Set when `field` is an array of objects: the property of each item that holds the document. */
  item?: string;
}

/** One document id a completion's data gives (or lacks), where it sits (a JSON pointer) and its kind. */
export interface DocumentValue {
  path: string;
  kind: string;
  value: unknown;
}

export interface VerdictField {
  field: string;
  kinds: string[];
}

export interface Verdict {
  verdict: 'accepted' | 'rejected';
  reason?: string;
}

const propertiesOf = (form: Record<string, unknown> | null | undefined): Array<[string, Record<string, unknown>]> => {
  const properties = form?.properties;
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties as Record<string, unknown>).filter((e): e is [string, Record<string, unknown>] => !!e[1] && typeof e[1] === 'object');
};

const documentKindOf = (schema: Record<string, unknown>) => (typeof schema[DOCUMENT_KEYWORD] === 'string' ? (schema[DOCUMENT_KEYWORD] as string) : undefined);

/**
 * The form's fields that hold a document id, with their kinds: top-level ones, then those of the object
 * items of a top-level array (one level: a list of products, each with its image), in form order.
 */
export function documentFields(form: Record<string, unknown> | null | undefined): DocumentField[] {
  return propertiesOf(form).flatMap(([field, schema]): DocumentField[] => {
    const kind = documentKindOf(schema);
    if (kind) return [{ field, kind }];
    if (schema.type !== 'array' || !schema.items || typeof schema.items !== 'object') return [];
    return propertiesOf(schema.items as Record<string, unknown>).flatMap(([item, itemSchema]) => {
      const itemKind = documentKindOf(itemSchema);
      return itemKind ? [{ field, item, kind: itemKind }] : [];
    });
  });
}

/**
 * Every place a completion's `data` holds (or should hold) a document of the form: a top-level field's
 * value, or the item property of each object of an array field (nothing when the array is absent or
 * not an array: the form schema reports that). What the workflow, the API and the UI all read.
 */
export function documentValues(form: Record<string, unknown> | null | undefined, data: Record<string, unknown> | null | undefined): DocumentValue[] {
  return documentFields(form).flatMap(({ field, item, kind }): DocumentValue[] => {
    const value = data?.[field];
    if (item === undefined) return [{ path: `/${field}`, kind, value }];
    if (!Array.isArray(value)) return [];
    return value.map((entry, i) => ({ path: `/${field}/${i}/${item}`, kind, value: entry && typeof entry === 'object' ? (entry as Record<string, unknown>)[item] : undefined }));
  });
}

/** The field name a person reads for a document value's path: `contract`, `products[3].image`. */
const fieldName = (path: string) => path.slice(1).replace(/\/(\d+)\//g, '[$1].').replace(/\//g, '.');

/** The form's fields that take verdicts, with the kinds each judges. */
export function verdictFields(form: Record<string, unknown> | null | undefined): VerdictField[] {
  return propertiesOf(form)
    .filter(([, schema]) => Array.isArray(schema[VERDICTS_KEYWORD]))
    .map(([field, schema]) => ({ field, kinds: (schema[VERDICTS_KEYWORD] as unknown[]).filter((k): k is string => typeof k === 'string') }));
}

const label = (kinds: DocumentKinds | undefined, kind: string) => (kinds?.[kind]?.title ? `'${kind}' (${kinds[kind].title})` : `'${kind}'`);

const isVerdict = (v: unknown): v is Verdict =>
  !!v && typeof v === 'object' && ((v as Verdict).verdict === 'accepted' || (v as Verdict).verdict === 'rejected');

/**
 * What a completion lacks on documents, judged from its data alone: a required document not given, a
 * required document without a verdict, a rejection without a reason, and an outcome that lets a
 * rejected document through (only outcomes with `rejectsDocuments` may be chosen while one is rejected).
 */
export function documentProblems(kinds: DocumentKinds | undefined, step: Pick<UserTaskStep, 'form' | 'outcomes'>, outcome: string, data: Record<string, unknown>): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const { path, kind, value } of documentValues(step.form, data)) {
    if (kinds?.[kind]?.required && (value === undefined || value === null || value === '')) {
      problems.push({ path, message: `The document ${label(kinds, kind)} is required: upload it and give its id in '${fieldName(path)}'.` });
    }
  }
  const sendsBack = Object.entries(step.outcomes).filter(([, o]) => o.rejectsDocuments).map(([name]) => name);
  for (const { field, kinds: judged } of verdictFields(step.form)) {
    const given = (data[field] ?? {}) as Record<string, unknown>;
    for (const kind of judged) {
      const verdict = given[kind];
      const path = `/${field}/${kind}`;
      if (verdict === undefined) {
        if (kinds?.[kind]?.required) problems.push({ path, message: `The required document ${label(kinds, kind)} has no verdict: accept it or reject it with a reason.` });
        continue;
      }
      if (!isVerdict(verdict)) {
        problems.push({ path, message: `A verdict is { verdict: accepted } or { verdict: rejected, reason }.` });
        continue;
      }
      if (verdict.verdict !== 'rejected') continue;
      if (!verdict.reason?.trim()) problems.push({ path: `${path}/reason`, message: `The document ${label(kinds, kind)} is rejected without a reason: say why, so whoever submitted it can fix it.` });
      else if (!step.outcomes[outcome]?.rejectsDocuments) {
        const choose = sendsBack.length ? `; choose ${sendsBack.map((o) => `'${o}'`).join(' or ')} to send it back` : '';
        problems.push({ path, message: `The document ${label(kinds, kind)} is rejected (${verdict.reason}), so the task cannot complete with '${outcome}'${choose}.` });
      }
    }
  }
  return problems;
}

/** Why a document of `kind` issued on `issuedAt` (YYYY-MM-DD, or null when not given) is too old at `now`, or null. */
export function documentAgeProblem(kind: DocumentKind, kindName: string, issuedAt: string | null, now: number): string | null {
  if (!kind.maxAge) return null;
  if (!issuedAt) return `A document of kind '${kindName}' must be issued within ${kind.maxAge}: upload it again with its issue date (issuedAt).`;
  // An issue date is a day: counted in whole days up to today (UTC), so "within 30 days" accepts one
  // issued 30 days ago at any hour of today.
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const age = today - Date.parse(`${issuedAt}T00:00:00Z`);
  if (age > parseDuration(kind.maxAge)) return `The document of kind '${kindName}' was issued on ${issuedAt}, more than ${kind.maxAge} ago: upload a recent one.`;
  return null;
}
