/**
 * The operator CLI (cli/main.ts) run in-process against a test server, with its output captured, and
 * the environment it reads kept away from the developer's own: a temporary config home (where
 * `cauce login` stores its token) and no inherited CAUCE_TOKEN or CAUCE_API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `cauce --api <baseUrl> <args>` in-process; each stream's chunks joined by newlines. */
export async function runCli(baseUrl: string, ...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'cauce', '--api', baseUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CLI_ENV = ['XDG_CONFIG_HOME', 'CAUCE_TOKEN', 'CAUCE_API'] as const;
type CliEnvName = (typeof CLI_ENV)[number];

/**
 * Registers beforeAll/afterAll for the enclosing block: saves XDG_CONFIG_HOME, CAUCE_TOKEN and
 * CAUCE_API, points XDG_CONFIG_HOME at a fresh temporary directory, unsets the other two, then applies
 * `env()` (read when the block starts, so it can use values other beforeAll hooks set). Afterwards the
 * saved values are restored and the directory removed. `configHome` is the directory.
 */
export function useCliEnvironment(env: () => Partial<Record<Exclude<CliEnvName, 'XDG_CONFIG_HOME'>, string>> = () => ({})): { readonly configHome: string } {
  const saved: Partial<Record<CliEnvName, string | undefined>> = {};
  let configHome: string | undefined;

  beforeAll(() => {
    for (const name of CLI_ENV) saved[name] = process.env[name];
    configHome = mkdtempSync(path.join(os.tmpdir(), 'cauce-cli-'));
    process.env.XDG_CONFIG_HOME = configHome;
    delete process.env.CAUCE_TOKEN;
    delete process.env.CAUCE_API;
    for (const [name, value] of Object.entries(env())) {
      if (value === undefined) throw new Error(`useCliEnvironment: ${name} is undefined when the block starts`);
      process.env[name] = value;
    }
  });

  afterAll(() => {
    for (const name of CLI_ENV) {
      const value = saved[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (configHome) rmSync(configHome, { recursive: true, force: true });
  });

  return {
    get configHome() {
      if (!configHome) throw new Error('useCliEnvironment: configHome is only set once the block has started');
      return configHome;
    },
  };
}
