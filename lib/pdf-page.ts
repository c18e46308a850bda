/**
 * The one-page documents Cauce prints (invoices, the service-contract request): pdf-lib with standard
 * Helvetica (its WinAnsi encoding covers Spanish), written top to bottom. Dates are frozen to the
 * document's own, so the same document always renders the same bytes.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export interface PageWriter {
  /** Draws at the current line (`x` to place a second column), without moving down. */
  text(s: string, opts?: { x?: number; size?: number; bold?: boolean }): void;
  /** Draws and moves down (`gap`, default 18 points). */
  line(s: string, opts?: { x?: number; size?: number; bold?: boolean; gap?: number }): void;
  /** Moves down `points`. */
  skip(points: number): void;
  /** Draws a PNG below the current line, scaled down to fit, and moves past it. */
  image(png: Uint8Array, opts: { maxWidth: number; maxHeight: number }): Promise<void>;
  save(): Promise<Uint8Array>;
}

/** Characters people write that WinAnsi lacks, and what stands in for them. */
const STAND_INS: Record<string, string> = { '\u2212': '-', '\u2010': '-', '\u2011': '-', '\u202f': ' ', '\u2009': ' ', '\u2007': ' ' };

/**
 * The text as the font can draw it: a character outside its set (a minus sign in a discount, a name in
 * another script) would make pdf-lib throw and the whole document fail, so it becomes a stand-in or `?`.
 */
export function drawable(text: string, supported: ReadonlySet<number>): string {
  let out = '';
  for (const ch of text) out += supported.has(ch.codePointAt(0)!) ? ch : (STAND_INS[ch] ?? '?');
  return out;
}

export async function a4Page(title: string, at: Date): Promise<PageWriter> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('Cauce');
  return writerOn(doc, at);
}

/**
 * A new last page of an existing document (the signed contract's audit page): the pages before it keep
 * their bytes as they were, so the document the signer saw stays inside the signed one.
 */
export async function a4PageAfter(pdf: Uint8Array, at: Date): Promise<PageWriter> {
  return writerOn(await PDFDocument.load(pdf), at);
}

async function writerOn(doc: PDFDocument, at: Date): Promise<PageWriter> {
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const page: PDFPage = doc.addPage([595, 842]);
  const font: PDFFont = await doc.embedFont(StandardFonts.Helvetica);
  const bold: PDFFont = await doc.embedFont(StandardFonts.HelveticaBold);
  // Helvetica and its bold share one set (WinAnsi).
  const supported = new Set(font.getCharacterSet());
  let y = 790;
  const writer: PageWriter = {
    text(s, opts = {}) {
      page.drawText(drawable(s, supported), { x: opts.x ?? 50, y, size: opts.size ?? 11, font: opts.bold ? bold : font, color: rgb(0, 0, 0) });
    },
    line(s, opts = {}) {
      writer.text(s, opts);
      y -= opts.gap ?? 18;
    },
    skip(points) {
      y -= points;
    },
    async image(png, opts) {
      const embedded = await doc.embedPng(png);
      const scale = Math.min(1, opts.maxWidth / embedded.width, opts.maxHeight / embedded.height);
      const height = embedded.height * scale;
      y -= height;
      page.drawImage(embedded, { x: 50, y, width: embedded.width * scale, height });
      y -= 12;
    },
    save: () => doc.save(),
  };
  return writer;
}
