/**
 * Starts the real servers the whole jest run shares — one embedded Postgres (throwaway cluster) and
 * one in-memory, headless Temporal dev server — unless DATABASE_URL / TEMPORAL_ADDRESS point at
 * existing ones. Builds the migrated `cauce_template` database that `freshDatabase()` copies, so
 * each test file gets an isolated schema in milliseconds instead of re-running migrations.
 *
 * Exposed to test files through process.env (jest workers inherit it):
 *   CAUCE_TEST_DATABASE_URL  URL of the server's `postgres` database
 *   TEMPORAL_ADDRESS         the dev server
 *   CAUCE_TEST_SERVER_BIN    time-skipping test server binary ('' → @temporalio/testing downloads one)
 *   CAUCE_TEST_STRIPE_URL    stripe-mock, the tests' Stripe API (test/support/stripe.ts)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os, { constants } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../lib/config';
import { createDb, migrateLatest } from '../../lib/db';
import { ensureUiBuilt } from '../../scripts/build-ui';
import { ensureStripeMock, ensureTools } from '../../scripts/ensure-tools';
import { startServers } from '../../scripts/servers';
import { queryOnce, withDatabase } from '../../scripts/servers/postgres';
import { startStripeMock } from '../../scripts/servers/stripe-mock';
import { TEMPLATE_DATABASE } from '../support/database';

export interface GlobalServers {
  stops: Array<() => Promise<void>>;
  tmpDir: string;
  detach(): void;
}

declare global {
  // Jest runs global setup and teardown in the same process; this is how teardown finds them.
  var __CAUCE_SERVERS__: GlobalServers | undefined;
}

async function buildTemplate(serverUrl: string): Promise<void> {
  // Rebuilt every run: an external server may hold a template from older migrations.
  await queryOnce(serverUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await queryOnce(serverUrl, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const db = createDb(withDatabase(serverUrl, TEMPLATE_DATABASE));
  try {
    await migrateLatest(db);
  } finally {
    // CREATE DATABASE … TEMPLATE fails while anyone is connected to the template.
    await db.destroy();
  }
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const tools = await ensureTools();
  const config = loadConfig();
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-test-'));
  // mkdtemp makes it 0700; as root, Postgres runs as the `postgres` user and must pass through it.
  chmodSync(tmpDir, 0o711);
  // Jest installs no signal handlers, so a Ctrl-C would skip the teardown. Exiting instead lets the
  // servers' exit hooks (scripts/servers) kill them; then the throwaway data goes.
  const removeTmp = () => rmSync(tmpDir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals) => process.exit(128 + constants.signals[signal]);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('exit', removeTmp);
  const detach = () => {
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal).removeListener('exit', removeTmp);
  };
  const servers: GlobalServers = { stops: [], tmpDir, detach };
  globalThis.__CAUCE_SERVERS__ = servers;

  try {
    // The browser tests (test/e2e) start `npm start`, which would build the web app; building it once
    // here, beside the servers, keeps that build out of their time limits.
    const building = ensureUiBuilt((m) => process.stderr.write(`[global-setup] ${m}\n`));
    building.catch(() => undefined); // awaited below, after the servers are registered for teardown
    const { databaseUrl, temporalAddress, stops } = await startServers(config, { dataDir: tmpDir });
    servers.stops.push(...stops.map((s) => s.stop));
    const stripe = await startStripeMock(ensureStripeMock(), path.join(tmpDir, 'stripe-mock.log'));
    servers.stops.push(stripe.stop);
    await building;
    await buildTemplate(databaseUrl);

    process.env.CAUCE_TEST_DATABASE_URL = databaseUrl;
    process.env.TEMPORAL_ADDRESS = temporalAddress;
    process.env.CAUCE_TEST_SERVER_BIN = tools.testServer ?? '';
    process.env.CAUCE_TEST_STRIPE_URL = stripe.url;
    process.stderr.write(`\n[global-setup] Postgres + Temporal ${temporalAddress} ready in ${Date.now() - started} ms\n`);
  } catch (err) {
    await stopAll(servers);
    throw err;
  }
}

export async function stopAll(servers: GlobalServers): Promise<void> {
  // Temporal first (it holds no Postgres state), then Postgres; reverse start order in general.
  for (const stop of servers.stops.reverse()) await stop().catch((e) => process.stderr.write(`[teardown] ${e}\n`));
  servers.stops = [];
  servers.detach();
  rmSync(servers.tmpDir, { recursive: true, force: true });
}
