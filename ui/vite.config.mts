import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by scripts/build-ui.ts (npm start, test setup); served by the API server from ui/dist.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    // Mermaid is large and loaded only on the definitions pages (dynamic import); its chunks are expected to be big.
    chunkSizeWarningLimit: 3000,
  },
  server: {
    // `npx vite ui` for UI work with hot reload against an `npm start` on :3000.
    proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' },
  },
});
