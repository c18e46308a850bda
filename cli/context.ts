/** What every group of commands gets from `buildProgram` (cli/main.ts). */
import type { Http } from './http';

/** Where a command writes (the console, or a test's buffers). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext {
  /** A client for the API given by `--api` (read when the command runs). */
  http(): Http;
  /** Whether `--json` was given. */
  json(): boolean;
  /** Prints `data` as JSON under `--json`, else `plain()`. */
  print(data: unknown, plain: () => string): void;
  io: Io;
  /** stdout is a terminal: progress updates in place; otherwise a line now and then. */
  tty: boolean;
  /** The error that makes `main` exit with `code` after the command printed its result. */
  exitWith(code: number): Error;
}
