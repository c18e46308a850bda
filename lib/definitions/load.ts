/**
 * Loads a definition's YAML keeping node positions, so every later check (schema, semantic) can point
 * at the line and column a person has to fix. Loading never throws for bad input: problems come back
 * as located errors.
 */
import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import { valueProblems } from '../value-checks';
import { pointer, pointerSegments, type DefinitionError } from './errors';

/**
 * How much aliases may expand (yaml's count of nodes copied through aliases). A definition has no
 * need for more; a "billion laughs" document needs vastly more, and would otherwise be expanded in
 * memory before any check runs.
 */
export const MAX_ALIAS_COUNT = 100;

/** Where to point for a path that names a map entry: its key (`name:`) or its value. */
export type Anchor = 'key' | 'value';

export interface Position {
  line: number;
  column: number;
}

export interface LoadedDefinitionSource {
  file: string;
  source: string;
  document: Document;
  /** The parsed value; `undefined` when the YAML itself is broken (see `errors`). */
  value: unknown;
  /** YAML syntax problems and duplicate keys. */
  errors: DefinitionError[];
  /** Position of the deepest node that exists along `path` (a JSON pointer). */
  locate(path: string, anchor?: Anchor): Position;
  /** A located error at `path`. */
  errorAt(path: string, message: string, anchor?: Anchor): DefinitionError;
}

export function loadDefinitionSource(source: string, file: string): LoadedDefinitionSource {
  const lineCounter = new LineCounter();
  // uniqueKeys is yaml's default; spelled out because a duplicate step id must never silently win.
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false });

  const positionOf = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const locate = (path: string, anchor: Anchor = 'value'): Position => {
    const offset = locateOffset(document, pointerSegments(path), anchor);
    return offset === undefined ? { line: 1, column: 1 } : positionOf(offset);
  };

  const errorAt = (path: string, message: string, anchor: Anchor = 'value'): DefinitionError => ({
    file,
    ...locate(path, anchor),
    path,
    message,
  });

  // After the first syntax error the parser's recovery produces echoes; duplicate keys are independent.
  const firstSyntax = document.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const reported = document.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstSyntax);
  const errors: DefinitionError[] = reported.map((e) => {
    const offset = e.pos[0];
    const at = positionOf(offset);
    if (e.code === 'DUPLICATE_KEY') {
      const duplicate = findKeyAt(document, offset);
      return {
        file,
        ...at,
        path: duplicate?.path ?? '',
        message: duplicate ? `duplicate key '${duplicate.key}'` : 'duplicate key',
      };
    }
    return { file, ...at, path: '', message: `YAML syntax error: ${e.message}` };
  });

  let value: unknown;
  if (errors.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // yaml throws a ReferenceError when aliases expand past the count: an alias bomb, or merely overuse.
      const message = err instanceof ReferenceError ? `aliases expand too much (more than ${MAX_ALIAS_COUNT} nodes); write the values out or use fewer aliases` : `YAML cannot be read: ${(err as Error).message}`;
      errors.push({ file, ...positionOf(firstAliasOffset(document) ?? 0), path: '', message });
    }
  }
  // Values YAML can write but nothing after it can keep: `.inf`, a "\ud800" escape, absurd nesting.
  if (errors.length === 0) errors.push(...valueProblems(value).map((p) => errorAt(p.path, p.message)));
  if (errors.length > 0) value = undefined;
  return { file, source, document, value, errors, locate, errorAt };
}

export async function loadDefinitionFile(path: string): Promise<LoadedDefinitionSource> {
  return loadDefinitionSource(await readFile(path, 'utf8'), path);
}

function firstAliasOffset(document: Document): number | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function locateOffset(document: Document, segments: string[], anchor: Anchor): number | undefined {
  let node: unknown = document.contents;
  let best = rangeStart(node);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (isAlias(node)) node = node.resolve(document);
    let next: unknown;
    let pair: Pair | undefined;
    if (isMap(node)) {
      pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      next = pair?.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
    }
    if (pair === undefined && next === undefined) break;
    const last = i === segments.length - 1;
    // An entry with an empty value (`next:`) has no value node: point at its key instead.
    const keyStart = pair ? rangeStart(pair.key) : undefined;
    const valueStart = isEmptyScalar(next) ? undefined : rangeStart(next);
    best = last && anchor === 'key' ? (keyStart ?? valueStart ?? best) : (valueStart ?? keyStart ?? best);
    node = next;
  }
  return best;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && !!node.range && node.range[0] === node.range[1];
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

/** The key (and its JSON pointer) whose source starts at `offset`, to name a duplicate key. */
function findKeyAt(document: Document, offset: number): { key: string; path: string } | undefined {
  let found: { key: string; path: string } | undefined;
  visit(document, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      found = { key: String(pair.key.value), path: pointer([...pathOf(ancestors), String(pair.key.value)]) };
      return visit.BREAK;
    },
  });
  return found;
}

function pathOf(ancestors: readonly unknown[]): Array<string | number> {
  const segments: Array<string | number> = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    if (isPair(node) && isScalar(node.key)) segments.push(String(node.key.value));
    else if (isSeq(node)) {
      const child = ancestors[i + 1];
      if (child !== undefined) segments.push(node.items.indexOf(child as never));
    }
  }
  return segments;
}
