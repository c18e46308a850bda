/**
 * Getting hold of the error a call fails with, so a test can assert on it: the call must fail, and with
 * an error of the expected class; a call that succeeds fails the test.
 */

type ErrorClass<E> = abstract new (...args: any[]) => E;

/** The error `promise` rejects with, which must be an instance of `type`. */
export async function rejectionOf<E>(promise: Promise<unknown>, type: ErrorClass<E>): Promise<E> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a rejection with ${type.name}, but it resolved with ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(type);
  return outcome.error as E;
}

/** The error `run` throws, which must be an instance of `type`. */
export function thrownBy<E>(run: () => unknown, type: ErrorClass<E>): E {
  let value: unknown;
  try {
    value = run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name} to be thrown, but it returned ${JSON.stringify(value)}`);
}
