import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer is served from file:// (Electron) and from the browser-mode server: relative asset paths,
// no inline scripts (the CSP forbids them), nothing fetched from the network.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    // Maps are written for debugging but not linked from the bundles, and never served (src/server/http.ts).
    sourcemap: 'hidden',
  },
});
