/** `work`'s value, or `late()` once `ms` have passed first (the work goes on; its outcome is dropped). */
export async function within<T, L>(work: Promise<T>, ms: number, late: () => L | Promise<L>): Promise<T | L> {
  // Once late, nobody awaits `work`: its failure must not surface as an unhandled rejection.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<L>((resolve, reject) => {
    // late() may be async: resolve() adopts its outcome.
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (err) {
        reject(err);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
