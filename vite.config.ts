import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web app lives in src/web and builds to dist/web, which `purl serve` serves at /. */
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
