/**
 * Documents for tests: real files built in memory (a PNG and a PDF that file-type recognises), and
 * uploads through POST /api/documents as a browser sends them (multipart FormData).
 */
import { deflateSync } from 'node:zlib';
import type { ApiResponse } from './api';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real `width`×1 grey PNG; `seed` changes its pixels, so different seeds are different files. */
export function pngBytes(width = 16, seed = 0): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const row = Buffer.alloc(width + 1);
  for (let x = 0; x < width; x++) row[x + 1] = (x * 7 + seed) & 0xff;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(row)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A one-page PDF saying `text`. */
export function pdfBytes(text = 'Contrato de servicios'): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export interface UploadOptions {
  kind?: string;
  issuedAt?: string;
  filename?: string;
  /** The part's content type the client claims (ignored by the API). */
  claimedType?: string;
}

/** POST /api/documents with `bytes` in the field `file` (kind and issuedAt first, as the API asks). */
export async function uploadDocument(baseUrl: string, token: string, bytes: Buffer, options: UploadOptions = {}): Promise<ApiResponse> {
  const form = new FormData();
  if (options.kind !== undefined) form.append('kind', options.kind);
  if (options.issuedAt !== undefined) form.append('issuedAt', options.issuedAt);
  form.append('file', new Blob([bytes], { type: options.claimedType ?? 'application/octet-stream' }), options.filename ?? 'document');
  const res = await fetch(`${baseUrl}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** The date `days` days before today (UTC), YYYY-MM-DD. */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A JPEG as file-type sees one (SOI, a JFIF header, `seed` as its payload, EOI): distinct per seed. */
export function jpegBytes(seed = 0): Buffer {
  const jfif = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
  return Buffer.concat([jfif, Buffer.from(`product image ${seed}`), Buffer.from('ffd9', 'hex')]);
}
