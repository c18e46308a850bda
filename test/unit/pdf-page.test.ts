/**
 * The one-page documents draw any text: characters Helvetica's WinAnsi lacks (the minus sign of an
 * estimate's discount, a name in another script) become stand-ins instead of failing the document.
 */
import { a4Page, drawable } from '../../lib/pdf-page';
import { pdfText } from '../support/pdf-text';

test('a discounted line and a name outside WinAnsi are drawn, with stand-ins', async () => {
  const page = await a4Page('Factura 7', new Date('2026-12-01T00:00:00Z'));
  page.line('1 × Kontaly Pro (mensual) (−5 %), IVA 19 %');
  page.line('Cliente: Ирина Петрова · Panadería Ñandú');
  const text = pdfText(Buffer.from(await page.save()));
  expect(text).toContain('1 × Kontaly Pro (mensual) (-5 %), IVA 19 %');
  expect(text).toContain('Cliente: ????? ??????? · Panadería Ñandú');
});

test('drawable keeps what the font has and replaces only the rest', () => {
  const latin = new Set([...'abc -?'].map((c) => c.codePointAt(0)!));
  expect(drawable('a−b\u202fc😀', latin)).toBe('a-b c?');
});
