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
