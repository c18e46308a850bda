/**
 * Serves the built back-office web app (ui/dist) next to the API: its files, and index.html for any
 * other page address so client-side routes survive a reload or a shared link. /api and /healthz are
 * never answered here, so a mistyped API path still gets the API's JSON 404.
 */
import path from 'node:path';
import express from 'express';

const API_PATHS = /^\/(api|healthz)(\/|$)/;

export function webAppRouter(dir: string): express.Router {
  const router = express.Router();
  // Vite puts content-hashed files under assets/: they never change, so browsers may keep them.
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: true }));
  router.use(express.static(dir, { index: false }));
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    // A missing file (a path with an extension) is a real 404, not the app.
    if (path.extname(req.path) !== '' || !req.accepts('html')) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(path.join(dir, 'index.html'));
  });
  return router;
}
