/**
 * Cauce started the way a user starts it: `npm start` (`node --import tsx scripts/start.ts`) with its own
 * embedded Postgres and Temporal dev server, a throwaway data folder and free ports, so it clashes
 * neither with a developer's `npm start` nor with the servers the rest of the suite shares.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../../scripts/ensure-tools';
import { freePort, spawnGroup, stopGroup, tail } from '../../../scripts/servers/process';
import { eventually } from '../../support/eventually';

export interface DemoUser {
  username: string;
  password: string;
  roles: string[];
}

export interface StartedApp {
  baseUrl: string;
  temporalUiUrl: string;
  /** The supervisor's own process (npm start's script, not npm). */
  pid: number;
  dataDir: string;
  ports: { http: number; temporal: number; postgres: number; smtp: number };
  users: Map<string, DemoUser>;
  logFile: string;
  /** SIGTERM, then waits for it to exit and removes its data; resolves to everything it wrote (the log goes too). */
  stop(): Promise<string>;
}

const START_TIMEOUT_MS = 240_000;

/** How many times a start whose ports were taken meanwhile is made again, on new ports. */
const PORT_ATTEMPTS = 3;

/**
 * `env`: configuration a user would set in the environment (e.g. CAUCE_DOCUMENT_MAX_BYTES). The ports
 * are picked free, then bound by the servers a moment later: another test's server (the suite runs two
 * at a time) can bind one in between. That start is made again on new ports; any other failure is not.
 */
export async function startAppAsUser(extraEnv: Record<string, string> = {}): Promise<StartedApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(extraEnv);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === PORT_ATTEMPTS) throw err;
    }
  }
}

/** The start failed because a port it picked was bound by someone else first. */
class PortTaken extends Error {}

async function startOnce(extraEnv: Record<string, string>): Promise<StartedApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cauce-e2e-'));
  // As root, embedded Postgres runs as the `postgres` user and must pass through the folder.
  chmodSync(dataDir, 0o711);
  const [port, temporalPort, temporalUiPort, pgPort, smtpPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    CAUCE_DATA_DIR: dataDir,
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(temporalUiPort),
    CAUCE_PG_PORT: String(pgPort),
    CAUCE_SMTP_SINK_PORT: String(smtpPort),
    ...extraEnv,
  };
  // The suite's shared servers are announced through these; a user's `npm start` has none of them.
  for (const name of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'CAUCE_TEST_DATABASE_URL', 'TEMPORAL_DB_FILE', 'HOST', 'SMTP_URL']) delete env[name];

  const logFile = path.join(dataDir, 'npm-start.log');
  // What `npm start` runs: one process, so `pid` is the supervisor's (the tsx CLI would add a process of its own).
  const child: ChildProcess = spawnGroup(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'start.ts')], logFile, { env, cwd: ROOT });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopGroup(child, 'SIGTERM', 30_000);
    const written = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(dataDir, { recursive: true, force: true });
    return written;
  };

  try {
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile, 40)}`);
        // Its last line, printed once the API and the worker are both ready.
        return readFileSync(logFile, 'utf8').includes('[cauce] Ctrl-C to stop') && (await fetch(`${baseUrl}/healthz`).then((r) => r.status, () => 0));
      },
      (status) => status === 200,
      `npm start to be ready and answer /healthz (log: ${logFile})`,
      START_TIMEOUT_MS,
    );
    const users = JSON.parse(readFileSync(path.join(dataDir, 'dev-users.json'), 'utf8')) as DemoUser[];
    return {
      baseUrl,
      temporalUiUrl: `http://127.0.0.1:${temporalUiPort}`,
      pid: child.pid!,
      dataDir,
      ports: { http: port, temporal: temporalPort, postgres: pgPort, smtp: smtpPort },
      users: new Map(users.map((u) => [u.username, u])),
      logFile,
      stop,
    };
  } catch (err) {
    const log = tail(logFile, 40);
    const written = await stop();
    const Failure = /address already in use|EADDRINUSE/i.test(written) ? PortTaken : Error;
    throw new Failure(`${(err as Error).message}\n--- npm start log ---\n${log}`);
  }
}
