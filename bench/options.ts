/** Command-line options of the benchmarks. */

/** `--<name> N`: a whole number >= 1, or `fallback` when not given. */
export function wholeNumberOption(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return value;
}
