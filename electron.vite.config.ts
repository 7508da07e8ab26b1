// Build config for the desktop host: main + preload (Node side) and the React renderer.
import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// The store reads its numbered .sql migrations from disk next to the bundle, so copy them beside main.js.
function copyMigrations(): Plugin {
  return {
    name: 'tandem-copy-migrations',
    writeBundle(options) {
      const outDir = options.dir ?? resolve('out/main');
      cpSync(resolve('src/store/migrations'), resolve(outDir, 'migrations'), { recursive: true });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { main: resolve('electron/main.ts') } },
    },
    plugins: [copyMigrations()],
  },
  preload: {
    build: {
      // A sandboxed preload must be a single CommonJS file that requires nothing but electron.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    build: {
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [react()],
  },
});
