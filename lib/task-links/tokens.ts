/**
 * A task link's secret: 32 random bytes (crypto.randomBytes), base64url. Only its SHA-256 is stored, so
 * a copy of the database cannot open a task; the secret travels in the e-mail and in the URL fragment
 * of the link page (`/link#<token>`), which browsers never send to the server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appUrl } from '../config';

export const TOKEN_BYTES = 32;
/** base64url of 32 bytes, no padding. */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export const newLinkToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

export const hashLinkToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The page a participant opens: the web app's `/link` route, the secret in the fragment. */
export const linkUrl = (publicUrl: string, token: string): string => appUrl(publicUrl, `/link#${token}`);
