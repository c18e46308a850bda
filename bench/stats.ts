/** Summaries of measured latencies shared by the benchmarks. */

/** Nearest-rank percentile of ascending `sorted` (p99 of 200 samples is the 198th value); NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
