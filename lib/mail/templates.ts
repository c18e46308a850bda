/**
 * E-mail templates, kept in the repository per language: `definitions/templates/<lang>/<name>.subject`,
 * `<name>.text` and, optionally, `<name>.html`. They are Mustache (`mustache`): logic-less, so a template
 * can only print the step's data (escaped in the HTML part), never run code. Deploy reads the variables
 * each one prints, with their line, to refuse a step whose data lacks one (lib/definitions/semantic.ts);
 * the outbox renders them (activities/mail-transport.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';

export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'definitions', 'templates');
const ROOT = path.join(__dirname, '..', '..');

/** Spanish first: the seeds' users are in Chile, Colombia and Bolivia. */
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'es';

const PARTS = ['subject', 'text', 'html'] as const;

export interface TemplateVariable {
  /** As written, e.g. `account.name`; the step's data must provide its first segment. */
  name: string;
  file: string;
  line: number;
  column: number;
}

export interface MailTemplate {
  name: string;
  language: Language;
  /** The variables printed outside sections, and the names of the sections themselves. */
  variables: TemplateVariable[];
  parts: { subject: string; text: string; html?: string };
}

export interface RenderedMail {
  subject: string;
  text: string;
  html?: string;
}

export interface TemplateCatalog {
  defaultLanguage: Language;
  languages: readonly Language[];
  /** The template's versions, the default language first; none: unknown template. */
  versions(name: string): MailTemplate[];
  names(): string[];
}

// Mustache's default {{ }} tags; a template may not change them (`{{=<% %>=}}`), so what deploy reads is what renders.
const TAGS: [string, string] = ['{{', '}}'];

/** Reads every template under `dir`; throws naming the file for a broken one (a syntax error, a partial, a missing part). */
export function loadTemplateCatalog(dir: string = TEMPLATES_DIR): TemplateCatalog {
  const byName = new Map<string, MailTemplate[]>();
  for (const language of LANGUAGES) {
    const langDir = path.join(dir, language);
    if (!existsSync(langDir)) continue;
    const files = readdirSync(langDir).sort();
    const names = new Set(files.map((f) => /^([a-z0-9][a-z0-9-]*)\.(subject|text|html)$/.exec(f)?.[1]).filter((n): n is string => !!n));
    for (const f of files) {
      if (!/^[a-z0-9][a-z0-9-]*\.(subject|text|html)$/.test(f)) throw new Error(`${shown(path.join(langDir, f))}: not a template part (expected <kebab-name>.subject, .text or .html)`);
    }
    for (const name of names) {
      const template: MailTemplate = { name, language, variables: [], parts: { subject: '', text: '' } };
      for (const part of PARTS) {
        const file = path.join(langDir, `${name}.${part}`);
        if (!existsSync(file)) {
          if (part === 'html') continue;
          throw new Error(`${shown(file)}: missing (every template has a .subject and a .text)`);
        }
        const source = readFileSync(file, 'utf8');
        template.parts[part] = part === 'subject' ? source.trim() : source;
        template.variables.push(...variablesOf(source, shown(file)));
      }
      byName.set(name, [...(byName.get(name) ?? []), template]);
    }
  }
  return {
    defaultLanguage: DEFAULT_LANGUAGE,
    languages: LANGUAGES,
    versions: (name) => byName.get(name) ?? [],
    names: () => [...byName.keys()].sort(),
  };
}

let cached: TemplateCatalog | undefined;

/** The repository's templates, read once (lazily: importing this module does no I/O). */
export function templateCatalog(): TemplateCatalog {
  return (cached ??= loadTemplateCatalog());
}

/** The version in `language`, else in the default language; undefined when the template is unknown. */
export function pickTemplate(catalog: TemplateCatalog, name: string, language: string = DEFAULT_LANGUAGE): MailTemplate | undefined {
  const versions = catalog.versions(name);
  return versions.find((t) => t.language === language) ?? versions.find((t) => t.language === catalog.defaultLanguage);
}

export function renderTemplate(template: MailTemplate, data: Record<string, unknown>): RenderedMail {
  // Subject and text are plain text: nothing to escape. The HTML part keeps Mustache's HTML escaping.
  const plain = { tags: TAGS, escape: (value: unknown) => String(value) };
  const subject = Mustache.render(template.parts.subject, data, {}, plain).replace(/\s+/g, ' ').trim();
  const text = Mustache.render(template.parts.text, data, {}, plain);
  const html = template.parts.html === undefined ? undefined : Mustache.render(template.parts.html, data, {}, { tags: TAGS });
  return { subject, text, ...(html === undefined ? {} : { html }) };
}

type Token = [type: string, value: string, start: number, end: number, children?: Token[]];

function variablesOf(source: string, file: string): TemplateVariable[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(source, TAGS) as unknown as Token[];
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const out: TemplateVariable[] = [];
  const walk = (list: Token[]) => {
    for (const [type, value, start, , children] of list) {
      if (type === '>') throw new Error(`${file}:${position(source, start).line}: partials ({{> ${value}}}) are not supported: write the text in the template`);
      if (type === 'name' || type === '&' || type === '#' || type === '^') {
        if (value !== '.') out.push({ name: value, file, ...position(source, start) });
      }
      // Inside {{#list}} names may be the item's own fields, which deploy cannot know; {{^x}} keeps the context.
      if (type === '^' && children) walk(children);
    }
  };
  walk(tokens);
  if (/\{\{\s*=/.test(source)) throw new Error(`${file}: changing the delimiters ({{= =}}) is not supported`);
  return out;
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function shown(file: string): string {
  const relative = path.relative(ROOT, file);
  return relative.startsWith('..') ? file : relative;
}
