import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoleCatalog, roleCatalog, roleIds } from '../../../lib/definitions/roles';

test('holds the roles of every process in PROCESSES.md', () => {
  const expected = [
    // 004 assisted sale
    'consultant', 'commercial-support', 'production', 'provisioning', 'partner', 'client', 'data-mining',
    // 003 consultant enrollment
    'back-office', 'credit-approver', 'consultant-leader', 'self-service',
    // 000 digital sale
    'dcs', 'sales', 'support', 'billing', 'integration',
    // 002 residential digital sale
    'digital-sales-executive', 'help-desk', 'collections', 'cashier', 'digital-channels-lead', 'digital-sales-lead',
    'admin',
  ];
  expect([...roleIds()].sort()).toEqual([...expected].sort());
});

test('each role has a kebab-case id, a name and a description with the Spanish original', () => {
  for (const role of roleCatalog()) {
    expect(role.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(role.name.length).toBeGreaterThan(2);
    expect(role.description).toMatch(/\(.+\)/);
  }
});

describe('a broken catalog fails loudly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cauce-roles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test.each([
    ['duplicate id', 'roles:\n  - { id: a, name: A, description: d }\n  - { id: a, name: B, description: d }\n', /duplicate role id 'a'/],
    ['bad id', 'roles:\n  - { id: Admin, name: A, description: d }\n', /kebab-case/],
    ['unknown property', 'roles:\n  - { id: a, name: A, description: d, level: 3 }\n', /unknown property level/],
    ['missing description', 'roles:\n  - { id: a, name: A }\n', /description is required/],
    ['no list', 'admins: []\n', /top-level 'roles' list/],
  ])('%s', (name, text, message) => {
    expect(() => loadRoleCatalog(write(`${name}.yaml`, text))).toThrow(message);
  });
});
