/**
 * The document rules a task completion is judged by inside the workflow (workflows/documents.ts): from
 * the data alone, as the update validator sees it. The API's database checks are in
 * test/integration/documents.test.ts.
 */
import { documentAgeProblem, documentFields, documentProblems, documentValues, verdictFields, type DocumentKinds } from '../../../workflows/documents';

const kinds: DocumentKinds = {
  contract: { title: 'Signed contract', types: ['application/pdf'], required: true },
  'rut-certificate': { types: ['application/pdf'], required: true, maxAge: '30d' },
  'id-copy': { types: ['image/png'] },
  'product-image': { title: 'Product image', types: ['image/jpeg'], required: true },
};

const submit = {
  form: {
    type: 'object',
    properties: {
      contract: { type: 'string', 'x-cauce-document': 'contract' },
      idCopy: { type: 'string', 'x-cauce-document': 'id-copy' },
      note: { type: 'string' },
    },
  },
  outcomes: { submitted: { next: 'validate' } },
};

const validate = {
  form: { type: 'object', properties: { verdicts: { type: 'object', 'x-cauce-verdicts': ['contract', 'rut-certificate', 'id-copy'] } } },
  outcomes: { validated: { next: 'done' }, returned: { next: 'submit', rejectsDocuments: true }, escalated: { next: 'boss' } },
};

test('the fields of a form that hold documents and verdicts', () => {
  expect(documentFields(submit.form)).toEqual([
    { field: 'contract', kind: 'contract' },
    { field: 'idCopy', kind: 'id-copy' },
  ]);
  expect(verdictFields(validate.form)).toEqual([{ field: 'verdicts', kinds: ['contract', 'rut-certificate', 'id-copy'] }]);
  expect(documentFields(undefined)).toEqual([]);
});

describe('submitting documents', () => {
  test('a required document given, an optional one left out: no problem', () => {
    expect(documentProblems(kinds, submit, 'submitted', { contract: 'd1' })).toEqual([]);
  });

  test.each([undefined, null, ''])('a required document left out (%p) is named with its kind', (value) => {
    expect(documentProblems(kinds, submit, 'submitted', { contract: value })).toEqual([
      { path: '/contract', message: "The document 'contract' (Signed contract) is required: upload it and give its id in 'contract'." },
    ]);
  });

  test('a form naming a kind its definition does not declare requires nothing (deploy refuses it)', () => {
    expect(documentProblems(undefined, submit, 'submitted', {})).toEqual([]);
  });
});

describe('verdicts', () => {
  const accepted = { verdict: 'accepted' };
  test('every document accepted: any outcome', () => {
    const verdicts = { contract: accepted, 'rut-certificate': accepted };
    expect(documentProblems(kinds, validate, 'validated', { verdicts })).toEqual([]);
    expect(documentProblems(kinds, validate, 'returned', { verdicts })).toEqual([]);
  });

  test('a rejected document allows only the outcomes that send it back', () => {
    const verdicts = { contract: accepted, 'rut-certificate': { verdict: 'rejected', reason: 'vencido' } };
    expect(documentProblems(kinds, validate, 'returned', { verdicts })).toEqual([]);
    for (const outcome of ['validated', 'escalated']) {
      expect(documentProblems(kinds, validate, outcome, { verdicts })).toEqual([
        { path: '/verdicts/rut-certificate', message: `The document 'rut-certificate' is rejected (vencido), so the task cannot complete with '${outcome}'; choose 'returned' to send it back.` },
      ]);
    }
  });

  test('a rejection needs a reason; a required document needs a verdict; a verdict has a known shape', () => {
    expect(documentProblems(kinds, validate, 'returned', { verdicts: { contract: { verdict: 'rejected', reason: '  ' }, 'id-copy': { verdict: 'maybe' } } })).toEqual([
      { path: '/verdicts/contract/reason', message: "The document 'contract' (Signed contract) is rejected without a reason: say why, so whoever submitted it can fix it." },
      { path: '/verdicts/rut-certificate', message: "The required document 'rut-certificate' has no verdict: accept it or reject it with a reason." },
      { path: '/verdicts/id-copy', message: 'A verdict is { verdict: accepted } or { verdict: rejected, reason }.' },
    ]);
  });
});

describe('age', () => {
  const now = Date.parse('2026-12-02T15:00:00Z');
  test.each([
    ['2026-11-20', null],
    ['2026-11-02', null],
    ['2026-11-01', "The document of kind 'rut-certificate' was issued on 2026-11-01, more than 30d ago: upload a recent one."],
    [null, "A document of kind 'rut-certificate' must be issued within 30d: upload it again with its issue date (issuedAt)."],
  ])('issued %p', (issuedAt, problem) => {
    expect(documentAgeProblem(kinds['rut-certificate'], 'rut-certificate', issuedAt, now)).toBe(problem);
  });

  test('a kind without maxAge never expires', () => {
    expect(documentAgeProblem(kinds.contract, 'contract', null, now)).toBeNull();
  });
});

describe('a document per item of an array field', () => {
  const catalog = {
    form: {
      type: 'object',
      properties: {
        contract: { type: 'string', 'x-cauce-document': 'contract' },
        products: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string', 'x-cauce-document': 'product-image' } } },
        },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
    outcomes: { submitted: { next: 'done' } },
  };

  test('the item field is found with its array and kind', () => {
    expect(documentFields(catalog.form)).toEqual([
      { field: 'contract', kind: 'contract' },
      { field: 'products', item: 'image', kind: 'product-image' },
    ]);
  });

  test('each item gives its value at its own path; an absent or malformed array gives none', () => {
    const data = { contract: 'c1', products: [{ name: 'Pan', image: 'i0' }, { name: 'Torta' }, null] };
    expect(documentValues(catalog.form, data)).toEqual([
      { path: '/contract', kind: 'contract', value: 'c1' },
      { path: '/products/0/image', kind: 'product-image', value: 'i0' },
      { path: '/products/1/image', kind: 'product-image', value: undefined },
      { path: '/products/2/image', kind: 'product-image', value: undefined },
    ]);
    expect(documentValues(catalog.form, { contract: 'c1' })).toEqual([{ path: '/contract', kind: 'contract', value: 'c1' }]);
    expect(documentValues(catalog.form, { contract: 'c1', products: 'x' })).toEqual([{ path: '/contract', kind: 'contract', value: 'c1' }]);
  });

  test('a required document missing in an item is named at the item', () => {
    const data = { contract: 'c1', products: [{ name: 'Pan', image: 'i0' }, { name: 'Torta' }, { name: 'Galletas', image: 'i2' }, { name: 'Roscón', image: '' }] };
    expect(documentProblems(kinds, catalog, 'submitted', data)).toEqual([
      { path: '/products/1/image', message: "The document 'product-image' (Product image) is required: upload it and give its id in 'products[1].image'." },
      { path: '/products/3/image', message: "The document 'product-image' (Product image) is required: upload it and give its id in 'products[3].image'." },
    ]);
    expect(documentProblems(kinds, catalog, 'submitted', { contract: 'c1', products: [{ image: 'i0' }] })).toEqual([]);
  });
});
