import { stepsById } from '../../../workflows/definition';
import { documentValues, verdictFields, type Verdict } from '../../../workflows/documents';
import type { ProcessDefinition } from '../../../workflows/model';

/**
 * Documents attached to an instance: any object in its variables that carries a `url` (a task form
 * that collects documents stores `{ kind, url }` items; products, notices and invoices do the same),
 * named by its kind/name/title or by where it sits.
 */
interface DocumentLink {
  name: string;
  url: string;
  path: string;
}

export function findDocuments(value: unknown, path = ''): DocumentLink[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findDocuments(item, `${path}/${i}`));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const found: DocumentLink[] = [];
  if (typeof record.url === 'string' && /^https?:\/\//.test(record.url)) {
    const name = [record.kind, record.name, record.title].find((v) => typeof v === 'string') as string | undefined;
    found.push({ name: name ?? path.split('/').filter(Boolean).join(' › '), url: record.url, path });
  }
  for (const [key, v] of Object.entries(record)) {
    if (key === 'url') continue;
    if (typeof v === 'string' && /Url$/.test(key) && /^https?:\/\//.test(v)) found.push({ name: key.replace(/Url$/, ''), url: v, path: `${path}/${key}` });
    else found.push(...findDocuments(v, `${path}/${key}`));
  }
  return found;
}

/**
 * The uploaded documents of each kind an instance holds: every task form's document field
 * (`x-cauce-document`, top-level or in each item of an array field) whose step keeps its completion in an `output` variable, read there
 * (`<output>.data.<field>`). What a validation task shows next to each verdict.
 */
export function documentIdsByKind(definition: ProcessDefinition, variables: Record<string, unknown>): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const step of Object.values(stepsById(definition.steps))) {
    if (step.type !== 'userTask' || !step.output) continue;
    const data = (variables[step.output] as { data?: Record<string, unknown> } | undefined)?.data;
    for (const { kind, value: id } of documentValues(step.form as Record<string, unknown> | undefined, data)) {
      if (typeof id === 'string' && id && !found[kind]?.includes(id)) (found[kind] ??= []).push(id);
    }
  }
  return found;
}

/**
 * The latest verdict the instance holds on each kind: the verdicts fields (`x-cauce-verdicts`) of
 * steps that keep their completion in an `output` variable. What a submitter sees when a rejection
 * sends the task back (the latest completion is the one the output variable holds).
 */
export function verdictsByKind(definition: ProcessDefinition, variables: Record<string, unknown>): Record<string, Verdict> {
  const found: Record<string, Verdict> = {};
  for (const step of Object.values(stepsById(definition.steps))) {
    if (step.type !== 'userTask' || !step.output) continue;
    const data = (variables[step.output] as { data?: Record<string, unknown> } | undefined)?.data;
    for (const { field, kinds } of verdictFields(step.form as Record<string, unknown> | undefined)) {
      const given = data?.[field] as Record<string, Verdict> | undefined;
      for (const kind of kinds) if (given?.[kind]?.verdict) found[kind] = given[kind];
    }
  }
  return found;
}

/** A byte count as people read it: 980 B, 12.3 KB, 4.5 MB. */
export function formatBytes(size: number): string {
  if (size < 1000) return `${size} B`;
  if (size < 1_000_000) return `${(size / 1000).toFixed(1)} KB`;
  return `${(size / 1_000_000).toFixed(1)} MB`;
}

/** What the document widgets need from the page, passed as rjsf's formContext. */
export interface DocumentFormContext {
  /** The definition's document kinds (`documents:`), by name. */
  documentKinds?: NonNullable<ProcessDefinition['documents']>;
  /** The instance's uploaded documents by kind (documentIdsByKind). */
  documentIds?: Record<string, string[]>;
  /** The verdicts given so far, by kind (verdictsByKind): a rejected one is shown on its upload field. */
  verdicts?: Record<string, Verdict>;
}

export interface InvoiceRef {
  invoiceId: string;
  number: number | string;
  path: string;
}

/** The invoices a process issued, as `invoices.issue` leaves them in its variables ({ invoiceId, number, … }). */
export function findInvoices(value: unknown, path = ''): InvoiceRef[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findInvoices(item, `${path}/${i}`));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.invoiceId === 'string' && (typeof record.number === 'number' || typeof record.number === 'string')) return [{ invoiceId: record.invoiceId, number: record.number, path }];
  return Object.entries(record).flatMap(([key, v]) => findInvoices(v, `${path}/${key}`));
}
