/** A bound on how many of some kind of work run at once; the rest wait their turn, in order. */
export interface Gate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createGate(maxInFlight: number): Gate {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(work) {
      if (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
      else inFlight++;
      try {
        return await work();
      } finally {
        // The slot passes straight to the next waiter, so inFlight never exceeds the bound.
        const next = waiting.shift();
        if (next) next();
        else inFlight--;
      }
    },
  };
}
