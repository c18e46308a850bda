/** Stops what global-setup started and removes its throwaway data. */
import { stopAll } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__CAUCE_SERVERS__;
  if (!servers) return;
  globalThis.__CAUCE_SERVERS__ = undefined;
  await stopAll(servers);
}
