/**
 * The CRM contact CSV (api/opportunities/contacts-csv.ts): line numbers as a person sees them in the
 * file, and the row checks only a file can fail (source, owner, partner/campaign, repeated email).
 */
import { HttpError } from '../../../api/errors';
import { readContactsCsv, rowChecker, type CsvRow, type OwnerRef } from '../../../api/opportunities/contacts-csv';
import { rejectionOf } from '../../support/errors';

/** The rows of a body that arrives in `chunkSize`-character chunks (the whole text by default). */
async function parseContactsCsv(text: string, chunkSize = text.length || 1): Promise<CsvRow[]> {
  const chunks = Array.from({ length: Math.ceil(text.length / chunkSize) }, (_, i) => Buffer.from(text.slice(i * chunkSize, (i + 1) * chunkSize)));
  const rows: CsvRow[] = [];
  for await (const row of readContactsCsv(chunks)) rows.push(row);
  return rows;
}

const owners = new Map<string, OwnerRef>([
  ['camila.rojas@cauce.example', { id: '6a1f0c2e-1111-4111-8111-111111111111', active: true }],
  ['ex@cauce.example', { id: '6a1f0c2e-2222-4222-8222-222222222222', active: false }],
]);

describe('readContactsCsv', () => {
  test('lines count from the header (line 1), across blank lines, CRLF, a BOM and quoted fields spanning lines', async () => {
    const csv = '\ufeffEmail , NAME\r\na@x.cl,Ana\r\n\r\nb@x.cl,"Bea\r\nde la Fuente"\r\nc@x.cl,"Carla, C."\r\n';
    const expected = [
      { line: 2, values: { email: 'a@x.cl', name: 'Ana' } },
      { line: 4, values: { email: 'b@x.cl', name: 'Bea\nde la Fuente' } },
      { line: 6, values: { email: 'c@x.cl', name: 'Carla, C.' } },
    ];
    expect(await parseContactsCsv(csv)).toEqual(expected);
    // Chunk boundaries anywhere (inside a CRLF, a multi-byte character, a quoted field) change nothing.
    for (const size of [1, 2, 3, 7]) expect({ size, rows: await parseContactsCsv(csv, size) }).toEqual({ size, rows: expected });
    expect(await parseContactsCsv('email,name\r\nñandú@x.cl,Ñuñoa\r\n', 1)).toEqual([{ line: 2, values: { email: 'ñandú@x.cl', name: 'Ñuñoa' } }]);
  });

  test('a row with the wrong number of fields is kept, flagged with its shape', async () => {
    expect(await parseContactsCsv('email,name,phone\na@x.cl,Ana\n')).toEqual([
      { line: 2, values: { email: 'a@x.cl', name: 'Ana' }, shape: 'row has 2 field(s); the header has 3' },
    ]);
  });

  test('unknown, missing and repeated columns refuse the file at line 1', async () => {
    const err = await rejectionOf(parseContactsCsv('email,emial,email,phone\na,b,c,d\n'), HttpError);
    expect(err).toMatchObject({ status: 422, code: 'invalid_csv_header' });
    expect((err.details as Array<{ message: string }>).map((d) => d.message)).toEqual([
      'unknown column "emial" (columns: email, name, phone, rut, company, company_rut, channel, source, campaign, partner, owner_email)',
      'missing required column "name"',
      'column "email" appears twice',
    ]);
  });

  test('broken quoting names the line; an empty file or a header alone is refused', async () => {
    expect(await rejectionOf(parseContactsCsv('email,name\na@x.cl,Ana\nb@x.cl,"Bea\n'), HttpError)).toMatchObject({
      code: 'malformed_csv', details: [expect.objectContaining({ path: 'line 3' })],
    });
    expect(await rejectionOf(parseContactsCsv(''), HttpError)).toMatchObject({ code: 'empty_csv' });
    expect(await rejectionOf(parseContactsCsv('email,name\n\n'), HttpError)).toMatchObject({ code: 'empty_csv' });
  });
});

describe('rowChecker', () => {
  const rows = async (lines: string[]) =>
    (await parseContactsCsv(['email,name,rut,company,company_rut,channel,source,campaign,partner,owner_email', ...lines].join('\n'))).map(rowChecker(owners));

  test('defaults: channel hubspot, source bulk; the owner email becomes its id', async () => {
    expect(await rows(['ana@x.cl,Ana,,,,,,,,Camila.Rojas@cauce.example'])).toEqual([
      {
        line: 2,
        lead: {
          email: 'ana@x.cl', name: 'Ana', phone: null, rut: null, company: null, channel: 'hubspot', sourceDetail: 'bulk', campaign: null, partner: null,
          ownerId: '6a1f0c2e-1111-4111-8111-111111111111',
        },
      },
    ]);
  });

  test('every reason of a row, each naming its column', async () => {
    const [row] = await rows(['mal,,12.345.678-9,,76.086.428-0,fax,feria,,,ex@cauce.example']);
    expect(row.reasons).toEqual([
      'source: must be one of bulk, partner, campaign, referral (got "feria")',
      'company: is required when company_rut is given',
      'owner_email: owner ex@cauce.example is inactive',
      'email: is not a valid email (got "mal")',
      'name: is required and must be a non-empty string',
      'rut: is not a valid Chilean RUT (format or check digit; got "12.345.678-9")',
      'channel: must be one of ecommerce, landing, hubspot, assisted, partner, upgrade (got "fax")',
    ]);
  });

  test('partner leads need the partner, campaign leads the campaign; a repeated email points at its first line', async () => {
    expect((await rows(['p@x.cl,P,,,,partner,,,,', 'c@x.cl,C,,,,,campaign,,,', 'P@X.CL,Otra,,,,,,,,'])).map((r) => r.reasons)).toEqual([
      ['partner: is required for a partner lead'],
      ['campaign: is required when source is campaign'],
      ['email: p@x.cl already appears on line 2'],
    ]);
  });

  test('a company RUT in any format is a valid company RUT', async () => {
    const [row] = await rows(['e@x.cl,E,,Panadería La Espiga SpA,760864285,,,,,']);
    expect(row.lead?.company).toEqual({ name: 'Panadería La Espiga SpA', rut: '760864285' });
  });
});
