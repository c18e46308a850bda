/**
 * Deploy's check of the e-mail a step sends through `notifications.send`: the template exists (in the
 * default language, and in the one the step asks for), and every variable any version of it prints is
 * given by the step's `data`. A missing one is named with the template file and its line, so the author
 * sees both ends of the mismatch.
 */
import { isExpression } from '../../workflows/expressions';
import type { TemplateCatalog } from '../mail/templates';
import { didYouMean } from './errors';
import type { Path, Report } from './semantic';

export const NOTIFY_ACTIVITY = 'notifications.send';

const LANGUAGE_NAMES: Record<string, string> = { es: 'Spanish', en: 'English' };

export function checkNotification(templates: TemplateCatalog | undefined, activity: string, input: unknown, path: Path, report: Report): void {
  if (!templates || activity !== NOTIFY_ACTIVITY || !isPlainObject(input)) return;
  const { template, language, data } = input;
  // An expression picks the template at run time: the outbox then reports an unknown one on the row.
  if (typeof template !== 'string' || isExpression(template)) return;
  const versions = templates.versions(template);
  if (versions.length === 0) {
    report([...path, 'template'], `unknown e-mail template '${template}' (no definitions/templates/${templates.defaultLanguage}/${template}.subject)${didYouMean(template, templates.names())}`);
    return;
  }
  if (!versions.some((v) => v.language === templates.defaultLanguage)) {
    const have = versions.map((v) => v.language).join(', ');
    report([...path, 'template'], `e-mail template '${template}' has no ${LANGUAGE_NAMES[templates.defaultLanguage]} (${templates.defaultLanguage}) version, the default (it has ${have})`);
  }
  if (typeof language === 'string' && !isExpression(language) && !versions.some((v) => v.language === language)) {
    report([...path, 'language'], `e-mail template '${template}' has no '${language}' version (it has ${versions.map((v) => v.language).join(', ')})`);
  }
  // `data` given as one expression (a whole object) cannot be read at deploy.
  if (data !== undefined && !isPlainObject(data)) return;
  const provided = new Set(Object.keys(data ?? {}));
  const reported = new Set<string>();
  for (const version of versions) {
    for (const variable of version.variables) {
      const root = variable.name.split('.')[0];
      if (provided.has(root) || reported.has(root)) continue;
      reported.add(root);
      const given = provided.size ? `it gives ${[...provided].join(', ')}` : 'it gives none';
      report(
        [...path, data === undefined ? 'template' : 'data'],
        `e-mail template '${template}' uses {{${variable.name}}} at ${variable.file}:${variable.line}:${variable.column}, which the step's data does not provide (${given})`,
        data === undefined ? 'value' : 'key',
      );
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
