import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// The app's chunk (renderer/boot.tsx, loaded by the small entry after it has asked for the first screen's data) and
// the chunks it imports are fetched beside the entry, not after it has run.
function preloadBoot(): Plugin {
  return {
    name: 'blastmap-preload-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle ?? {};
        const boot = Object.values(bundle).find((c) => c.type === 'chunk' && c.name === 'boot');
        if (!boot || boot.type !== 'chunk') return [];
        // The chunks it imports statically too (shared with the lazily loaded panels): else they are found only once
        // the app's chunk is parsed, one more round trip before it can run.
        const files = [boot.fileName, ...boot.imports];
        return files.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const }));
      },
    },
  };
}

// The renderer is served from file:// (Electron) and from the browser-mode server: relative asset paths,
// no inline scripts (the CSP forbids them), nothing fetched from the network.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), preloadBoot()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    // One stylesheet, linked from the page: a stylesheet of the app's chunk would hold the chunk back until it loaded
    // (behind the first screen's data on the server).
    cssCodeSplit: false,
    chunkSizeWarningLimit: 2000,
    // Maps are written for debugging but not linked from the bundles, and never served (src/server/http.ts).
    sourcemap: 'hidden',
    rolldownOptions: {
      output: {
        // Cytoscape in a chunk of its own: the browser parses each preloaded chunk on a thread of its own, so the app's
        // chunk and Cytoscape (about half of the code the first screen runs) are compiled side by side, not in turn.
        codeSplitting: { groups: [{ name: 'cytoscape', test: /node_modules[\\/]cytoscape[\\/]/ }] },
      },
    },
  },
});
