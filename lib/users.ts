/**
 * Users, passwords and sessions. Passwords are argon2id hashes (lib/passwords.ts; older bcrypt ones are
 * replaced at the next successful login); session tokens are stored as sha256 so a read of the table
 * cannot be replayed as a login.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { hashPassword, verifyPassword } from './passwords';

export interface User {
  id: number;
  username: string;
  roles: string[];
  displayName: string | null;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  password: string;
  roles: string[];
  displayName?: string;
}

interface UserRow {
  id: string | number;
  username: string;
  password_hash: string;
  roles: string[];
  display_name: string | null;
  created_at: Date;
}

function toUser(row: UserRow): User {
  return {
    id: Number(row.id),
    username: row.username,
    roles: row.roles,
    displayName: row.display_name,
    createdAt: row.created_at,
  };
}

export async function createUser(db: Knex, u: NewUser): Promise<User> {
  const [row] = await db<UserRow>('users')
    .insert({
      username: u.username,
      password_hash: await hashPassword(u.password),
      roles: u.roles,
      display_name: u.displayName ?? null,
    })
    .returning('*');
  return toUser(row);
}

let unknownUserHash: Promise<string> | undefined;
const dummyHash = () => (unknownUserHash ??= hashPassword('no user has this password'));

export async function authenticate(db: Knex, username: string, password: string): Promise<User | null> {
  const row = await db<UserRow>('users').where({ username }).first();
  // Compare against a dummy hash for unknown users too, so response time does not reveal which usernames exist.
  const { matches, outdated } = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
  if (!row || !matches) return null;
  if (outdated) {
    // Only if the hash is still the one just checked: a password changed meanwhile must not be overwritten.
    await db('users').where({ id: row.id, password_hash: row.password_hash }).update({ password_hash: await hashPassword(password) });
  }
  return toUser(row);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Returns the bearer token; only its hash is stored. */
export async function createSession(db: Knex, userId: number, ttlMs: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db('sessions').insert({
    token_hash: hashToken(token),
    user_id: userId,
    expires_at: new Date(Date.now() + ttlMs),
  });
  return token;
}

/** The session's user, or null when the token is unknown or expired (expiry is checked by the database clock). */
export async function userForToken(db: Knex, token: string): Promise<User | null> {
  if (!token) return null;
  const row = await db<UserRow>('sessions')
    .join('users', 'users.id', 'sessions.user_id')
    .where('sessions.token_hash', hashToken(token))
    .andWhere('sessions.expires_at', '>', db.fn.now())
    .first('users.*');
  return row ? toUser(row as UserRow) : null;
}

export async function deleteSession(db: Knex, token: string): Promise<void> {
  await db('sessions').where({ token_hash: hashToken(token) }).delete();
}

/**
 * Deletes expired sessions (of one user, or everyone's); returns how many. Expired rows never
 * authenticate, but kept forever they grow the table and keep token hashes around for no reason.
 */
export async function purgeExpiredSessions(db: Knex, userId?: number): Promise<number> {
  const query = db('sessions').where('expires_at', '<=', db.fn.now());
  if (userId !== undefined) query.andWhere({ user_id: userId });
  return query.delete();
}

const BASE32 = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32 symbols, no look-alikes (l, o, 0, 1)

/** 12 characters from a 32-symbol alphabet: 60 bits, easy to read aloud and type. */
function generatePassword(length = 12): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

export interface DemoCredential {
  username: string;
  password: string;
  roles: string[];
}

/**
 * One demo user per role (username = role id) plus `admin`.
 *
 * Plain passwords are never stored, so the only way to hand back a password that works is to
 * generate it now: an existing demo user keeps its row (id, roles, sessions) but gets a fresh
 * password on every call. Callers print the returned list; earlier passwords stop working.
 */
/** Which of `usernames` are users. */
export async function existingUsernames(db: Knex, usernames: string[]): Promise<Set<string>> {
  if (!usernames.length) return new Set();
  const rows: Array<{ username: string }> = await db('users').whereIn('username', usernames).select('username');
  return new Set(rows.map((r) => r.username));
}

export async function seedDemoUsers(db: Knex, roles: string[]): Promise<DemoCredential[]> {
  const wanted: Array<{ username: string; roles: string[] }> = [
    ...[...new Set(roles)].filter((r) => r !== 'admin').map((r) => ({ username: r, roles: [r] })),
    { username: 'admin', roles: ['admin'] },
  ];
  const credentials: DemoCredential[] = [];
  for (const w of wanted) {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    // Upsert keeps an existing user's roles and display name; only the password is replaced.
    const [row]: Array<Pick<UserRow, 'roles'>> = await db('users')
      .insert({ username: w.username, password_hash: passwordHash, roles: w.roles, display_name: w.username })
      .onConflict('username')
      .merge(['password_hash'])
      .returning('roles');
    credentials.push({ username: w.username, password, roles: row.roles });
  }
  return credentials;
}
