/**
 * Where the web app finds an instance's uploaded documents for a validation task
 * (ui/src/lib/documents.ts, documentIdsByKind): the document fields of each task form whose step
 * keeps its completion in an `output` variable, read from the fixture's definition.
 */
import path from 'node:path';
import { loadDefinitionFile } from '../../lib/definitions';
import { documentIdsByKind, findInvoices, formatBytes, verdictsByKind } from '../../ui/src/lib/documents';
import type { ProcessDefinition } from '../../workflows/model';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'valid', 'document-check.yaml');

test('documents by kind come from the submitting step’s output; empty and missing fields give none', async () => {
  const definition = (await loadDefinitionFile(FIXTURE)).value as ProcessDefinition;
  expect(documentIdsByKind(definition, { client: 'X' })).toEqual({});
  const variables = {
    client: 'X',
    submission: { outcome: 'submitted', data: { contract: 'c-1', rutCertificate: 'r-1', idCopy: '' }, completedBy: 'laura', completedAt: '2026-01-01T00:00:00Z' },
    // The validation step's output holds verdicts, not document ids.
    review: { outcome: 'returned', data: { verdicts: { contract: { verdict: 'accepted' } } } },
  };
  expect(documentIdsByKind(definition, variables)).toEqual({ contract: ['c-1'], 'rut-certificate': ['r-1'] });
});

test('verdicts by kind come from the validating step’s output', async () => {
  const definition = (await loadDefinitionFile(FIXTURE)).value as ProcessDefinition;
  expect(verdictsByKind(definition, {})).toEqual({});
  const review = { outcome: 'returned', data: { verdicts: { contract: { verdict: 'accepted' }, 'rut-certificate': { verdict: 'rejected', reason: 'Expired' } } } };
  expect(verdictsByKind(definition, { review })).toEqual({ contract: { verdict: 'accepted' }, 'rut-certificate': { verdict: 'rejected', reason: 'Expired' } });
});

test('sizes read as people read them', () => {
  expect([formatBytes(591), formatBytes(12_345), formatBytes(4_500_000)]).toEqual(['591 B', '12.3 KB', '4.5 MB']);
});

test("the invoices a process issued are found in its variables by their id and number, wherever invoices.issue's output sits", () => {
  const variables = {
    invoice: { invoiceId: 'i-1', number: 1045, amount: 279, channel: 'Ventas digitales' },
    earlier: [{ note: 'x' }, { sale: { invoiceId: 'i-0', number: '1001' } }],
    quote: { name: 'Hogar Fibra 100', number: 'not an invoice' },
  };
  expect(findInvoices(variables)).toEqual([
    { invoiceId: 'i-1', number: 1045, path: '/invoice' },
    { invoiceId: 'i-0', number: '1001', path: '/earlier/1/sale' },
  ]);
});
