/**
 * Deploy checks of document kinds (the definition's `documents`) and of the task-form fields that use
 * them (workflows/documents.ts): every kind a form names is declared, `maxAge` is a duration, and a
 * verdicts field lists kinds. Problems point at the YAML node, so the error names its line.
 */
import { DOCUMENT_KEYWORD, VERDICTS_KEYWORD } from '../../workflows/documents';
import { parseDuration } from '../../workflows/duration';
import { isExpression } from '../../workflows/expressions';
import type { ProcessDefinition, UserTaskStep } from '../../workflows/model';
import { didYouMean } from './errors';
import type { Path, Report } from './semantic';

export function checkDocumentKinds(definition: ProcessDefinition, report: Report): void {
  for (const [name, kind] of Object.entries(definition.documents ?? {})) {
    if (kind.maxAge === undefined) continue;
    const path = ['documents', name, 'maxAge'];
    if (isExpression(kind.maxAge)) {
      report(path, `maxAge of document kind '${name}' must be a fixed duration such as '30d', not an expression`);
      continue;
    }
    try {
      parseDuration(kind.maxAge);
    } catch (err) {
      report(path, (err as Error).message);
    }
  }
}

/** The document and verdict fields of one task's form name declared kinds. */
export function checkFormDocuments(definition: ProcessDefinition, step: UserTaskStep, path: Path, report: Report): void {
  const declared = Object.keys(definition.documents ?? {});
  const checkKind = (kind: unknown, at: Path) => {
    if (typeof kind !== 'string') return report(at, `a document kind is a name from 'documents', got ${JSON.stringify(kind)}`);
    if (!declared.includes(kind)) {
      const none = declared.length ? '' : " (this definition declares no 'documents')";
      report(at, `unknown document kind '${kind}'${none}${didYouMean(kind, declared)}`);
    }
  };
  reportIgnoredKeywords(step.form, [...path, 'form'], report);
  const properties = step.form?.properties;
  if (!properties || typeof properties !== 'object') return;
  for (const [field, schema] of Object.entries(properties as Record<string, Record<string, unknown>>)) {
    if (!schema || typeof schema !== 'object') continue;
    const fieldPath = [...path, 'form', 'properties', field];
    if (DOCUMENT_KEYWORD in schema) checkKind(schema[DOCUMENT_KEYWORD], [...fieldPath, DOCUMENT_KEYWORD]);
    // An array of objects may hold one document per item (workflows/documents.ts, documentFields).
    const itemProperties = (schema.items as Record<string, unknown> | undefined)?.properties;
    if (schema.type === 'array' && itemProperties && typeof itemProperties === 'object') {
      for (const [item, itemSchema] of Object.entries(itemProperties as Record<string, Record<string, unknown>>)) {
        if (itemSchema && typeof itemSchema === 'object' && DOCUMENT_KEYWORD in itemSchema) {
          checkKind(itemSchema[DOCUMENT_KEYWORD], [...fieldPath, 'items', 'properties', item, DOCUMENT_KEYWORD]);
        }
      }
    }
    if (VERDICTS_KEYWORD in schema) {
      const kinds = schema[VERDICTS_KEYWORD];
      if (!Array.isArray(kinds) || kinds.length === 0) report([...fieldPath, VERDICTS_KEYWORD], `${VERDICTS_KEYWORD} lists the document kinds this field judges, e.g. [contract, rut-certificate]`);
      else kinds.forEach((kind, i) => checkKind(kind, [...fieldPath, VERDICTS_KEYWORD, i]));
    }
  }
}

/**
 * Where the workflow reads the document keywords: a top-level field (either keyword) or a property of a
 * top-level list's object items (a document). Anywhere else it would be ignored without a word, and a
 * required document would go unchecked, so deploy says so.
 */
function reportIgnoredKeywords(form: unknown, formPath: Path, report: Report): void {
  const read = (at: Path) =>
    (at.length === 3 && at[0] === 'properties') ||
    (at.length === 6 && at[0] === 'properties' && at[2] === 'items' && at[3] === 'properties' && at[5] === DOCUMENT_KEYWORD);
  const walk = (node: unknown, at: Path, depth: number): void => {
    // Deploy limits bound a definition's nesting; this bound only keeps the walk from trusting them.
    if (!node || typeof node !== 'object' || depth > 64) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const here = [...at, Array.isArray(node) ? Number(key) : key];
      if ((key === DOCUMENT_KEYWORD || key === VERDICTS_KEYWORD) && !Array.isArray(node) && !read(here)) {
        report([...formPath, ...here], `${key} is read only on a form's top-level fields${key === DOCUMENT_KEYWORD ? " and on the properties of a top-level list's object items" : ''}; here it would be ignored`);
      }
      walk(value, here, depth + 1);
    }
  };
  walk(form, [], 0);
}
