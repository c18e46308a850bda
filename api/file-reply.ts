/**
 * A route answering with a file rather than JSON: the one place that sets its type and how the
 * browser should take it (shown inline, like a PDF, or saved, like a report export).
 */
import type { Response } from 'express';

export interface FileReply {
  type: string;
  filename: string;
  bytes: Uint8Array | ArrayBuffer;
  disposition: 'inline' | 'attachment';
}

/** Sends the file with 200; `undefined` tells the router the answer is already sent. */
export function sendFile(res: Response, { type, filename, bytes, disposition }: FileReply): undefined {
  res.status(200).type(type).set('content-disposition', `${disposition}; filename="${filename}"`).send(Buffer.from(bytes as ArrayBuffer));
  return undefined;
}

/** A generated PDF, shown in the browser. */
export function sendPdf(res: Response, { filename, pdf }: { filename: string; pdf: Uint8Array }): undefined {
  return sendFile(res, { type: 'application/pdf', filename, bytes: pdf, disposition: 'inline' });
}
