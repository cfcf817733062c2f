import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  // The footer's "last updated" (GIGW 3.0): the build's date in IST.
  define: { __ROAMS_BUILD_DATE__: JSON.stringify(new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10)) },
  // manifest: scripts/check-bundle-size.mjs reads it to find the first page's chunks (bar W3).
  build: { outDir: '../dist/web', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
