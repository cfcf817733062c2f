import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  // The footer's "last updated" (GIGW 3.0): the build's date in IST.
  define: { __ROAMS_BUILD_DATE__: JSON.stringify(new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10)) },
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
