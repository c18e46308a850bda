/**
 * Password hashes. New hashes are argon2id, computed by @node-rs/argon2 on the libuv thread pool, so
 * a burst of logins queues there instead of blocking the event loop (bcryptjs hashed in JavaScript,
 * on the loop: 100 logins stalled every other request for seconds). Hashes written before are bcrypt;
 * they still verify, and `verifyPassword` says when one should be replaced.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { availableParallelism } from 'node:os';
import { createGate } from './concurrency';

/**
 * OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). The package's `Algorithm` is a const enum
 * that does not exist at run time, so its value is written out: 2 is Argon2id.
 */
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Hashes in flight at once. The libuv pool (UV_THREADPOOL_SIZE, 4 by default) also runs the
 * pg driver's SCRAM key derivation, DNS lookups and file reads: were every login's hash queued there,
 * a burst of logins would hold a new database connection (and so /healthz) behind all of them. And
 * each hash keeps a core busy: on a 2-core machine three of them would crowd out the event loop.
 * So one pool thread and one core are left free; the other logins wait here, in JavaScript.
 */
const MAX_IN_FLIGHT = Math.max(1, Math.min((Number(process.env.UV_THREADPOOL_SIZE) || 4) - 1, availableParallelism() - 1));
const hashing = createGate(MAX_IN_FLIGHT);

export const hashPassword = (password: string): Promise<string> => hashing.run(() => hash(password, OPTIONS));

const isBcrypt = (stored: string) => /^\$2[abxy]\$/.test(stored);

export interface Verdict {
  matches: boolean;
  /** The stored hash is of an older kind (bcrypt): store `hashPassword(password)` in its place. */
  outdated: boolean;
}

export async function verifyPassword(stored: string, password: string): Promise<Verdict> {
  if (isBcrypt(stored)) return { matches: await bcrypt.compare(password, stored), outdated: true };
  // A hash that is neither kind (a corrupted row) does not match; it must not take the login down.
  const matches = await hashing.run(() => verify(stored, password)).catch(() => false);
  return { matches, outdated: false };
}
