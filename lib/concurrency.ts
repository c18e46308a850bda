/** A bound on how many of some kind of work run at once; the rest wait their turn, in order. */
export interface Gate {
  /** Runs `work` when a slot is free; rejects with GateFullError at once if `maxWaiting` are already waiting. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export class GateFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} already waiting`);
    this.name = 'GateFullError';
  }
}

export function createGate(maxInFlight: number, maxWaiting = Infinity): Gate {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(work) {
      if (inFlight >= maxInFlight) {
        if (waiting.length >= maxWaiting) throw new GateFullError(waiting.length);
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else inFlight++;
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
