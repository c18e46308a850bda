/**
 * The month a seed 002 report is for, kept in the address (`?month=YYYY-MM`, default this month in La
 * Paz, where its months are counted), with the field that changes it.
 */
import { useSearchParams } from 'react-router';

/** This month in La Paz. */
export function currentMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/La_Paz', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

export function useMonthParam(): [string, (month: string) => void] {
  const [params, setParams] = useSearchParams();
  return [params.get('month') ?? currentMonth(), (month) => setParams({ month })];
}

export function MonthField({ month, onChange }: { month: string; onChange(month: string): void }) {
  return (
    <label>
      Month <input type="month" value={month} max={currentMonth()} onChange={(e) => e.target.value && onChange(e.target.value)} />
    </label>
  );
}
