// Builds the renderer bundle (renderer/dist) that both shells load: `tracebench serve` serves it
// over HTTP and Electron loads it from disk, hence the relative base.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Resolved from this file rather than the working directory, without importing Node built-ins
// (the renderer layer's lint rule forbids them even here).
const rendererRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
