/**
 * Seed 001's contract as a PDF, and the same PDF sealed with its signature's audit page. The contract
 * is the accepted estimate's lines and totals with the subscription's terms; its bytes are fixed by its
 * content and date, so its sha256 names exactly the document the client signs.
 */
import type { PricedLine, Totals, ContractSignature } from '../domain/estimates';
import { localMoney } from '../domain/money';
import { a4Page, a4PageAfter } from './pdf-page';

export interface ContractDocument {
  title: string;
  customerName: string;
  customerEmail: string;
  companyName: string | null;
  companyTaxId: string | null;
  currency: string;
  lines: PricedLine[];
  totals: Totals;
  createdAt: Date;
}

const money = (minor: number, currency: string) => localMoney(minor, currency, 'es-CO');
const bogota = (d: Date) => d.toLocaleString('es-CO', { timeZone: 'America/Bogota', dateStyle: 'long', timeStyle: 'medium' });

const TERMS = [
  '1. Objeto: el uso de Kontaly en la nube con los planes y servicios detallados arriba.',
  '2. Vigencia: mensual, renovada automáticamente; se factura cada mes desde el primer pago.',
  '3. Pago: por el portal de clientes; una factura impaga suspende el servicio hasta su pago.',
  '4. Datos: el cliente es dueño de su información y puede exportarla en cualquier momento.',
  '5. Terminación: cualquiera de las partes puede terminar con 30 días de aviso.',
];

export async function renderContractPdf(c: ContractDocument): Promise<Uint8Array> {
  const page = await a4Page(c.title, c.createdAt);
  const { line, text } = page;
  line(c.title, { size: 18, bold: true, gap: 28 });
  line(`Cliente: ${c.companyName ?? c.customerName}${c.companyTaxId ? ` (NIT ${c.companyTaxId})` : ''}`);
  line(`Contacto: ${c.customerName} <${c.customerEmail}>`);
  line(`Fecha: ${bogota(c.createdAt)}`, { gap: 28 });
  line('Planes y servicios', { bold: true });
  for (const l of c.lines) {
    text(`${l.quantity} × ${l.description}${l.discountBp ? `, descuento ${l.discountBp / 100} %` : ''}`);
    line(money(l.totalMinor, c.currency), { x: 420 });
  }
  text('Total', { bold: true });
  line(money(c.totals.totalMinor, c.currency), { x: 420, bold: true, gap: 28 });
  line('Condiciones', { bold: true });
  for (const term of TERMS) line(term, { size: 10, gap: 15 });
  return page.save();
}

/** The contract with its audit page appended: who signed, how, when, from where, over which document. */
export async function sealContractPdf(pdf: Uint8Array, s: ContractSignature, contract: { id: string; title: string }): Promise<Uint8Array> {
  const signedAt = new Date(s.signedAt);
  const page = await a4PageAfter(pdf, signedAt);
  const { line } = page;
  line('Registro de firma electrónica', { size: 16, bold: true, gap: 26 });
  line(`Documento: ${contract.title} (${contract.id})`);
  line(`SHA-256 del documento firmado: ${s.documentSha256}`, { size: 9 });
  line(`Firmante: ${s.signerName} <${s.signerEmail}>`);
  line(`Fecha y hora: ${bogota(signedAt)} (hora de Bogotá); ${signedAt.toISOString()} UTC`);
  line(`Dirección IP: ${s.ip}`);
  line(`Navegador: ${(s.userAgent ?? 'no informado').slice(0, 90)}`, { size: 9 });
  line(`Método: ${s.method === 'drawn' ? 'firma dibujada' : 'nombre escrito como firma'}`, { gap: 24 });
  line('Firma:', { bold: true });
  if (s.method === 'drawn' && s.drawingPng) await page.image(Buffer.from(s.drawingPng, 'base64'), { maxWidth: 300, maxHeight: 120 });
  else line(s.typedSignature ?? s.signerName, { size: 20, gap: 30 });
  line('Firma electrónica simple: el firmante abrió el documento con un enlace de un solo uso enviado a su correo', { size: 9, gap: 13 });
  line('y declaró aceptar su contenido. Las páginas anteriores son el documento tal como se le mostró.', { size: 9 });
  return page.save();
}
