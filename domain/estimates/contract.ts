/**
 * Seed 001's contract signature: the message the client's signature reaches the lead's process as,
 * what it carries, and what a signature must be.
 */
export const CONTRACT_SIGNED = 'contract.signed';

/** A drawn signature is a PNG of at most this many bytes (a signature pad's drawing is a few KB). */
export const MAX_DRAWING_BYTES = 150_000;

export type SignatureMethod = 'typed' | 'drawn';

/** The evidence of one signature, captured by the API when the client signs. */
export interface ContractSignature {
  contractId: string;
  method: SignatureMethod;
  signerName: string;
  signerEmail: string;
  /** The name as typed, for a typed signature. */
  typedSignature: string | null;
  /** Base64 of the PNG, for a drawn one. */
  drawingPng: string | null;
  ip: string;
  userAgent: string | null;
  signedAt: string;
  /** The sha256 of the contract PDF the client was shown and signed. */
  documentSha256: string;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The largest drawing in pixels: a signature pad's canvas, with room; a bigger one could decompress to far more than its bytes. */
export const MAX_DRAWING_PIXELS = { width: 2000, height: 1000 };

/**
 * What is wrong with a drawn signature's bytes, or null: a PNG (its signature and IHDR header), not
 * empty, within MAX_DRAWING_BYTES and MAX_DRAWING_PIXELS. Whether the image data decodes is the
 * caller's to check (it needs a decoder).
 */
export function drawingProblem(png: Uint8Array): string | null {
  if (png.length > MAX_DRAWING_BYTES) return `the drawing is ${png.length} bytes; at most ${MAX_DRAWING_BYTES} are accepted`;
  const ihdr = String.fromCharCode(...png.subarray(12, 16));
  if (png.length < 60 || !PNG_MAGIC.every((b, i) => png[i] === b) || ihdr !== 'IHDR') return 'the drawing is not a PNG image';
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  if (width === 0 || height === 0 || width > MAX_DRAWING_PIXELS.width || height > MAX_DRAWING_PIXELS.height) {
    return `the drawing is ${width}×${height} pixels; at most ${MAX_DRAWING_PIXELS.width}×${MAX_DRAWING_PIXELS.height} are accepted`;
  }
  return null;
}
