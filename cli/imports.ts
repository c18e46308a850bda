/**
 * `cauce import contacts <file.csv>`: uploads a CRM CSV, follows the import until it is done (the
 * server works the rows in the background), then prints the counts and the invalid rows by line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from './context';
import { table } from './format';
import { query, type Http } from './http';

interface ImportStatus {
  id: string;
  filename: string;
  status: 'running' | 'completed' | 'failed';
  totalRows: number;
  processedRows: number;
  createdRows: number;
  duplicateRows: number;
  invalidRows: number;
  error: string | null;
}

interface ImportRow {
  line: number;
  errors: string[];
}

/** Progress lines in a log are for people watching it: one every few seconds is enough. */
const LOG_EVERY_MS = 2_000;
const PAGE = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function invalidRows(http: Http, id: string): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await http('GET', `/api/imports/${encodeURIComponent(id)}/rows${query({ status: 'invalid', limit: PAGE, offset })}`);
    rows.push(...page.items);
    if (page.items.length < PAGE || rows.length >= page.total) return rows;
  }
}

function summary(s: ImportStatus): string {
  const counts = `${s.totalRows} row(s): ${s.createdRows} created, ${s.duplicateRows} duplicate, ${s.invalidRows} invalid`;
  return s.status === 'failed'
    ? `Import ${s.id} (${s.filename}) FAILED after ${s.processedRows}/${s.totalRows} row(s): ${s.error}\n${counts}`
    : `Import ${s.id} (${s.filename}) ${s.status}: ${counts}`;
}

export function registerImportCommands(program: Command, ctx: CommandContext): void {
  const imports = program.command('import').description('bring data in from files');

  imports
    .command('contacts <file>')
    .description('import a CRM CSV of contacts (email, name, phone, rut, company, company_rut, channel, source, campaign, partner, owner_email)')
    .option('--interval <ms>', 'how often to check progress', (v) => Number.parseInt(v, 10), 500)
    .action(async (file: string, o: { interval: number }) => {
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as Error).message}`);
      }
      const http = ctx.http();
      const filename = path.basename(file);
      let status: ImportStatus = await http('POST', `/api/imports/contacts${query({ filename })}`, {
        text: { content, type: 'text/csv' },
      });
      const show = (s: ImportStatus) => `${s.processedRows}/${s.totalRows} rows`;
      if (!ctx.json()) ctx.io.out(`Importing ${filename} (${status.totalRows} rows) as ${status.id}`);

      let lastLogged = Date.now();
      while (status.status === 'running') {
        await sleep(o.interval);
        status = await http('GET', `/api/imports/${status.id}`);
        if (ctx.json()) continue;
        if (ctx.tty) process.stdout.write(`\r${show(status)}`);
        else if (Date.now() - lastLogged >= LOG_EVERY_MS && status.status === 'running') {
          ctx.io.out(`progress: ${show(status)}`);
          lastLogged = Date.now();
        }
      }
      if (ctx.tty && !ctx.json()) process.stdout.write('\n');

      const rows = status.invalidRows > 0 ? await invalidRows(http, status.id) : [];
      if (ctx.json()) ctx.io.out(JSON.stringify({ ...status, invalid: rows }, null, 2));
      else {
        ctx.io.out(summary(status));
        if (rows.length) ctx.io.out(`\ninvalid rows:\n${table(rows.map((r) => ({ line: r.line, reason: r.errors.join('; ') })), ['line', 'reason'])}`);
      }
      if (status.status === 'failed' || rows.length > 0) throw ctx.exitWith(1);
    });
}
