/**
 * Users and sessions against a real Postgres.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Knex } from 'knex';
import { countRows, freshDatabase } from '../support/database';
import { authenticate, createSession, createUser, deleteSession, purgeExpiredSessions, seedDemoUsers, userForToken } from '../../lib/users';

let env: Awaited<ReturnType<typeof freshDatabase>>;
let db: Knex;

beforeAll(async () => {
  env = await freshDatabase();
  db = env.db;
});
afterAll(async () => {
  await env?.drop();
});

describe('users', () => {
  it('authenticates with the right password only, and never stores it', async () => {
    const user = await createUser(db, { username: 'ana', password: 'correct horse', roles: ['consultant'], displayName: 'Ana' });
    expect(user).toMatchObject({ username: 'ana', roles: ['consultant'], displayName: 'Ana' });
    expect(await authenticate(db, 'ana', 'correct horse')).toMatchObject({ id: user.id, roles: ['consultant'] });
    expect(await authenticate(db, 'ana', 'wrong')).toBeNull();
    expect(await authenticate(db, 'nobody', 'correct horse')).toBeNull();
    const row = await db('users').where({ username: 'ana' }).first('password_hash');
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('a bcrypt hash from before still verifies, and the next successful login replaces it with argon2id', async () => {
    const user = await createUser(db, { username: 'old', password: 'placeholder', roles: ['sales'] });
    const bcryptHash = await bcrypt.hash('old secret', 4);
    await db('users').where({ id: user.id }).update({ password_hash: bcryptHash });

    // A wrong password leaves the old hash alone.
    expect(await authenticate(db, 'old', 'wrong')).toBeNull();
    expect((await db('users').where({ id: user.id }).first('password_hash')).password_hash).toBe(bcryptHash);

    expect(await authenticate(db, 'old', 'old secret')).toMatchObject({ id: user.id });
    const upgraded = (await db('users').where({ id: user.id }).first('password_hash')).password_hash;
    expect(upgraded).toMatch(/^\$argon2id\$/);
    expect(await authenticate(db, 'old', 'old secret')).toMatchObject({ id: user.id });
    expect(await authenticate(db, 'old', 'wrong')).toBeNull();
  });

  it('a stored hash of no known kind never matches, and does not throw', async () => {
    const user = await createUser(db, { username: 'corrupt', password: 'p', roles: [] });
    await db('users').where({ id: user.id }).update({ password_hash: 'not a hash' });
    expect(await authenticate(db, 'corrupt', 'p')).toBeNull();
  });

  it('refuses a duplicate username', async () => {
    await createUser(db, { username: 'dup', password: 'p', roles: [] });
    await expect(createUser(db, { username: 'dup', password: 'p', roles: [] })).rejects.toMatchObject({ code: '23505' });
  });
});

describe('sessions', () => {
  it('a token resolves to its user until deleted; only its hash is stored', async () => {
    const user = await createUser(db, { username: 'ses', password: 'p', roles: ['admin'] });
    const token = await createSession(db, user.id, 60_000);
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(await userForToken(db, token)).toMatchObject({ username: 'ses', roles: ['admin'] });
    const hash = createHash('sha256').update(token).digest('hex');
    // The user's one session is stored under the token's sha256, never under the token itself.
    expect(await db('sessions').where({ user_id: user.id }).select('token_hash')).toEqual([{ token_hash: hash }]);
    expect(await db('sessions').where({ token_hash: token }).first()).toBeUndefined();
    expect(await userForToken(db, token + 'x')).toBeNull();
    await deleteSession(db, token);
    expect(await userForToken(db, token)).toBeNull();
  });

  it('an expired session is refused', async () => {
    const user = await createUser(db, { username: 'exp', password: 'p', roles: [] });
    const token = await createSession(db, user.id, -1000);
    expect(await userForToken(db, token)).toBeNull();
    const live = await createSession(db, user.id, 60_000);
    await db('sessions').update({ expires_at: new Date(Date.now() - 1) });
    expect(await userForToken(db, live)).toBeNull();
  });

  it('purgeExpiredSessions deletes expired sessions only, of one user or of everyone', async () => {
    const a = await createUser(db, { username: 'purge-a', password: 'p', roles: [] });
    const b = await createUser(db, { username: 'purge-b', password: 'p', roles: [] });
    const liveA = await createSession(db, a.id, 60_000);
    await createSession(db, a.id, -1000);
    await createSession(db, b.id, -1000);
    const liveB = await createSession(db, b.id, 60_000);

    expect(await purgeExpiredSessions(db, a.id)).toBe(1);
    expect(await countRows(db, 'sessions', { user_id: b.id })).toBe(2);
    expect(await purgeExpiredSessions(db)).toBeGreaterThanOrEqual(1);
    expect(await countRows(db, 'sessions', (q) => q.where('expires_at', '<=', db.fn.now()))).toBe(0);
    expect(await userForToken(db, liveA)).toMatchObject({ id: a.id });
    expect(await userForToken(db, liveB)).toMatchObject({ id: b.id });
  });
});

describe('seedDemoUsers', () => {
  const roles = ['consultant', 'commercial-support', 'production'];

  it('creates one user per role plus admin, each able to log in', async () => {
    const creds = await seedDemoUsers(db, roles);
    expect(creds.map((c) => c.username).sort()).toEqual(['admin', 'commercial-support', 'consultant', 'production']);
    for (const c of creds) {
      expect(c.password).toMatch(/^[a-z2-9]{12}$/);
      const user = await authenticate(db, c.username, c.password);
      expect(user?.roles).toEqual(c.username === 'admin' ? ['admin'] : [c.username]);
    }
  });

  it('is idempotent: users are kept, and the freshly returned passwords are the valid ones', async () => {
    const before = await db('users').whereIn('username', [...roles, 'admin']).select('id', 'username');
    const first = await seedDemoUsers(db, roles);
    const second = await seedDemoUsers(db, roles);
    const after = await db('users').whereIn('username', [...roles, 'admin']).select('id', 'username');
    expect(after.sort((a, b) => a.id - b.id)).toEqual(before.sort((a, b) => a.id - b.id));
    for (const c of second) expect(await authenticate(db, c.username, c.password)).not.toBeNull();
    const old = first.find((c) => c.username === 'consultant')!;
    expect(await authenticate(db, 'consultant', old.password)).toBeNull();
  });
});
