/**
 * stripe-mock (Stripe's API emulator) on a free local port, for the tests: the Stripe SDK is pointed
 * at it with payments.stripe.apiUrl. It answers every call with Stripe's fixtures after checking the
 * request against Stripe's OpenAPI spec; it keeps no state and sends no webhooks.
 */
import { freePort, spawnGroup, stopGroup, tail } from './process';

export interface StripeMock { url: string; stop(): Promise<void> }

export async function startStripeMock(binary: string, logFile: string, timeoutMs = 30_000): Promise<StripeMock> {
  const [port, tlsPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  // It serves HTTPS too, on 12112 unless told otherwise: a port of its own, so two runs never collide.
  const child = spawnGroup(binary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', `127.0.0.1:${tlsPort}`], logFile);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`stripe-mock exited (${child.exitCode ?? child.signalCode}) before serving on ${url}. Log ${logFile}:\n${tail(logFile)}`);
    const answered = await fetch(`${url}/v1/balance`, { headers: { authorization: 'Bearer sk_test_cauce' } }).then((res) => res.ok, () => false);
    if (answered) return { url, stop: () => stopGroup(child) };
    if (Date.now() > deadline) {
      await stopGroup(child, 'SIGKILL');
      throw new Error(`stripe-mock did not answer on ${url} within ${timeoutMs} ms. Log ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
