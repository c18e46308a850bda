/** Seed 001's contract signature: the client's side (by link) and staff's signed PDF. */
import type { FromSchema } from 'json-schema-to-ts';
import { MAX_DRAWING_BYTES } from '../../domain/estimates';
import { dateTime, nullableDateTime, uuid } from '../shared-schemas';

export const SignContractBody = {
  $id: 'SignContractBody',
  type: 'object',
  required: ['method', 'signerName', 'agree'],
  additionalProperties: false,
  properties: {
    method: { enum: ['typed', 'drawn'], description: 'typed: the name written as the signature; drawn: a drawing of it (a PNG).' },
    signerName: { type: 'string', minLength: 2, maxLength: 200 },
    typedSignature: { type: 'string', minLength: 2, maxLength: 200, description: 'Required for a typed signature.' },
    drawingPng: { type: 'string', maxLength: Math.ceil((MAX_DRAWING_BYTES * 4) / 3) + 4, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: `Required for a drawn signature: base64 of a PNG of at most ${MAX_DRAWING_BYTES} bytes.` },
    agree: { const: true, description: 'The signer declares they read the contract and accept it.' },
  },
  allOf: [
    { if: { properties: { method: { const: 'typed' } } }, then: { required: ['typedSignature'] } },
    { if: { properties: { method: { const: 'drawn' } } }, then: { required: ['drawingPng'] } },
  ],
} as const;
export type SignContractBody = FromSchema<typeof SignContractBody>;

export const ClientContract = {
  $id: 'ClientContract',
  type: 'object',
  required: ['contractId', 'title', 'status', 'sha256', 'signerEmail', 'expiresAt', 'signedAt'],
  properties: {
    contractId: uuid,
    title: { type: 'string' },
    status: { enum: ['sent', 'signed'] },
    sha256: { type: 'string', description: 'The sha256 of the PDF to sign (GET …/pdf): what the signature is over.' },
    signerEmail: { type: 'string' },
    expiresAt: dateTime,
    signedAt: nullableDateTime,
  },
} as const;

export const contractsSchemas = [SignContractBody, ClientContract] as const;
