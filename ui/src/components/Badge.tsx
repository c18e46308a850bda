/** A status word with a colour that matches it (running, completed, overdue…). */
export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${value.replace(/[^a-z-]/gi, '')}`}>{value}</span>;
}
