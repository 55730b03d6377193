import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { refuseModelLeftovers } from './scripts/vite/model-leftovers.ts';
import { precompress } from './scripts/vite/precompress.ts';
import { ISOLATION_HEADERS, pwaAndCsp, SECURITY_HEADERS } from './scripts/vite/pwa-and-csp.ts';
import { versionedShards } from './scripts/vite/versioned-shards.ts';

// The model shards' URLs carry a content version (written into the built model.json files); the service worker
// precaches them under those URLs, so a first visit downloads each shard once.
const shards = versionedShards();

// The app is static files: no server, no third-party origins. Plugins are listed here in one place.
export default defineConfig({
  plugins: [refuseModelLeftovers(), react(), shards.plugin, ...pwaAndCsp([shards.manifestTransform]), precompress()],
  // The inference worker imports tfjs backends lazily (WebGPU), which needs an ES-module worker.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { headers: ISOLATION_HEADERS },
  preview: { port: 4173, strictPort: true, headers: SECURITY_HEADERS },
});
