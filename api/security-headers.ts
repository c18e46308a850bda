/**
 * Security headers on every answer (helmet), and `Cache-Control: no-store` on every API answer,
 * so a shared proxy or the browser's disk never keeps a task's or an account's data.
 *
 * The Content-Security-Policy is what the built web app (ui/, Vite) needs and no more:
 * - scripts only from this origin, plus `'unsafe-eval'`: rjsf's validator (@rjsf/validator-ajv8) compiles
 *   a form's schema with `Function(…)` as soon as the form has conditional parts (oneOf, anyOf, if,
 *   dependencies), which an administrator's definition may declare. Drop it once the UI's forms are
 *   judged without generated code;
 * - inline styles: mermaid writes `<style>` into the diagrams' SVG and React/rjsf set `style` attributes;
 * - images from here and `data:` URIs (mermaid, CSS);
 * - the API on this origin only; no frames, no plugins, no `<base>`, forms posting only here.
 * test/e2e runs the app in Chromium under this policy.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-eval'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export function securityHeaders(): RequestHandler {
  // No `upgrade-insecure-requests` (helmet's default): `npm start` serves plain http on localhost.
  return helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } });
}

/**
 * For the API: nothing of an answer may be stored by any cache. All of /api, not only the
 * authenticated routes: the login answer carries the token.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};
