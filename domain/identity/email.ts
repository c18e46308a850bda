/**
 * One `@`, something before it, and a domain with a dot that is neither its first nor its last
 * character; no whitespace. Deliberately loose (what the activities have always accepted), and
 * written without a backtracking pattern so a long input costs linear time.
 */
export function isEmail(value: string): boolean {
  if (value.length > 320 || /\s/.test(value)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || value.indexOf('@', at + 1) !== -1) return false;
  const domain = value.slice(at + 1);
  const dot = domain.indexOf('.', 1);
  return dot !== -1 && dot < domain.length - 1;
}
