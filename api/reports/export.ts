/**
 * Reports as files a person opens in a spreadsheet: XLSX with a sheet per table, or the CSV of one
 * table. Both are written by exceljs, so a table has one layout whatever the format.
 */
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { sendFile } from '../file-reply';

export interface Column {
  header: string;
  key: string;
  width?: number;
}

export interface Sheet {
  name: string;
  columns: Column[];
  rows: Array<Record<string, unknown>>;
}

/**
 * A text cell a spreadsheet opening the CSV will not run: one that starts like a formula (`=`, `+`, `-`,
 * `@`, a tab or a carriage return) gets a leading `'`. Names come from public forms. XLSX cells are typed
 * text already and need none of this.
 */
export function inertText(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function workbook(sheets: Sheet[]): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'Cauce';
  for (const s of sheets) {
    const sheet = book.addWorksheet(s.name);
    sheet.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(12, c.header.length + 2) }));
    sheet.getRow(1).font = { bold: true };
    sheet.addRows(s.rows);
  }
  return book;
}

/** Sends the sheets as `<filename>.xlsx`, or the first one as `<filename>.csv`. */
export async function sendSheets(res: Response, format: 'xlsx' | 'csv', filename: string, sheets: Sheet[]): Promise<void> {
  if (format === 'csv') {
    const [first] = sheets;
    const rows = first.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, inertText(v)])));
    const bytes = await workbook([{ ...first, rows }]).csv.writeBuffer();
    sendFile(res, { type: 'text/csv; charset=utf-8', filename: `${filename}.csv`, bytes, disposition: 'attachment' });
    return;
  }
  const bytes = await workbook(sheets).xlsx.writeBuffer();
  sendFile(res, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${filename}.xlsx`, bytes, disposition: 'attachment' });
}
