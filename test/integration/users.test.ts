/**
 * Users and sessions against a real Postgres.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { freshDatabase } from '../support/database';
import { authenticate, createSession, createUser, deleteSession, seedDemoUsers, userForToken } from '../../lib/users';

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
    expect(row.password_hash).toMatch(/^\$2[aby]\$10\$/);
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
