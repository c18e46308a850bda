/**
 * `npm run bench:calendar [-- --count 10000]`: computing business-day deadlines as the `calendar.deadline`
 * activity does (domain/calendar on Colombia's calendar of definitions/calendars.yaml: weekends, public
 * holidays from date-holidays, 08:00–18:00 America/Bogota), against plain calendar-day addition (`2d`,
 * parsed as the interpreter does) measured in the same run. The starts are spread over two years, at
 * every hour of the day, so weekends, holidays and nights all occur. Prints both rates and their ratio;
 * absolute figures depend on the machine, the ratio is what to compare. No test asserts on these numbers.
 */
import { addBusinessTime, businessTimeBetween, parseBusinessDuration } from '../domain/calendar';
import { loadCalendarCatalog } from '../lib/definitions/calendars';
import { parseDuration } from '../workflows/duration';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const count = arg('count', 10_000);
const calendar = loadCalendarCatalog().find((c) => c.id === 'CO')!;
const START = Date.parse('2026-01-01T00:00:00-05:00');
// 104 minutes apart (a prime-ish step): 10,000 starts cover about two years at every time of day.
const starts = Array.from({ length: count }, (_, i) => START + i * 104 * 60_000);

function measure(name: string, deadline: (from: number) => number) {
  for (const from of starts.slice(0, Math.min(1000, count))) deadline(from); // warm up
  const t0 = performance.now();
  let checksum = 0;
  for (const from of starts) checksum += deadline(from) - from;
  const ms = performance.now() - t0;
  return { name, ms, perSecond: (count / ms) * 1000, checksum };
}

const plain = measure("plain '2d' (calendar days)", (from) => from + parseDuration('2d'));
const business = measure("'2 business days' on CO", (from) => addBusinessTime(calendar, from, parseBusinessDuration('2 business days')!));

// Each business deadline is exactly 2 working days (20 h of working time) after its start.
for (const from of starts.filter((_, i) => i % 97 === 0)) {
  const due = addBusinessTime(calendar, from, { amount: 2, unit: 'day' });
  if (businessTimeBetween(calendar, from, due) !== 20 * 3_600_000) throw new Error(`wrong deadline from ${new Date(from).toISOString()}`);
}

const fmt = (n: number, width = 12) => n.toFixed(1).padStart(width);
process.stdout.write(`${count} deadlines, starts from 2026-01-01 every 104 minutes\n`);
process.stdout.write(`${'variant'.padEnd(30)}${'total ms'.padStart(12)}${'per second'.padStart(12)}\n`);
for (const r of [plain, business]) process.stdout.write(`${r.name.padEnd(30)}${fmt(r.ms)}${fmt(r.perSecond)}\n`);
process.stdout.write(`ratio business/plain time per deadline: ${(business.ms / plain.ms).toFixed(1)}×\n`);
