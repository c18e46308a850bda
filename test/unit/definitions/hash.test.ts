import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, hashDefinition, validateDefinitionSource } from '../../../lib/definitions';
import { roleIds } from '../../../lib/definitions/roles';
import type { ProcessDefinition } from '../../../workflows/model';

const catalog = { activities: ['invoices.issue'], roles: roleIds() };
const original = readFileSync(join(__dirname, '..', '..', 'fixtures', 'valid', 'invoice-customer.yaml'), 'utf8');

function parse(source: string): ProcessDefinition {
  const { definition, errors } = validateDefinitionSource(source, 'invoice-customer.yaml', catalog);
  expect(errors).toEqual([]);
  return definition!;
}

// The same definition, reformatted: no comments, keys reordered, flow maps as blocks, different quoting.
const reformatted = `
steps:
  done:
    type: end
  issue:
    next: done
    activity: 'invoices.issue'
    type: activity
    input:
      description: Plan
      customerName: x
      customerTaxId: '=$instance.businessKey'
      channel: "Canal Digital"
      amount: =amount
      accountId: =accountId
start: issue
id: invoice-customer
name: "Invoice a customer"
variables: {type: object, required: [accountId, amount], properties: {accountId: {type: string}, amount: {type: number, exclusiveMinimum: 0}}, examples: [{accountId: acc-1, amount: 19990}]}
starters: ["sales"]
`;

test('is a sha256 hex digest', () => {
  expect(hashDefinition(parse(original))).toMatch(/^[0-9a-f]{64}$/);
});

test('formatting, comments and key order do not change the hash', () => {
  expect(hashDefinition(parse(reformatted))).toBe(hashDefinition(parse(original)));
});

test('a content change does', () => {
  const base = hashDefinition(parse(original));
  expect(hashDefinition(parse(original.replace('name: Invoice a customer', 'name: Invoice the customer')))).not.toBe(base);
  expect(hashDefinition(parse(original.replace('amount: 19990', 'amount: 19991')))).not.toBe(base);
  expect(hashDefinition(parse(original.replace('  done: { type: end }', '  done: { type: end, outcome: invoiced }')))).not.toBe(base);
});

test('array order is content, object key order is not', () => {
  expect(canonicalJson({ b: 1, a: [2, 1] })).toBe('{"a":[2,1],"b":1}');
  expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
});
