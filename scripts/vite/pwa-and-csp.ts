/**
 * The offline and privacy half of the Vite config: the installable PWA (manifest, icons, a Workbox service
 * worker that precaches the app, the wasm binaries and both models) and the Content-Security-Policy that
 * keeps everything on the page's own origin (meta tag in the built index.html, headers in `vite preview`).
 */
import type { Plugin, PreviewOptions } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { PrecacheEntry } from './versioned-shards.ts';

/**
 * Only the page's own origin, for everything; wasm compilation allowed ('wasm-unsafe-eval', not 'unsafe-eval').
 * blob: for scripts and workers: tfjs starts its wasm threads from Blob URLs that the page itself makes
 * (src/inference/wasm-threads.ts); blob URLs can only be made by code already running on this origin.
 */
const POLICY: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval' blob:",
  'worker-src': "'self' blob:",
  'connect-src': "'self'",
  'img-src': "'self' blob: data:",
  'style-src': "'self'",
  'font-src': "'self'",
  'manifest-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};
const policy = (extra: Record<string, string> = {}) =>
  Object.entries({ ...POLICY, ...extra })
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/** The meta tag cannot carry frame-ancestors; the headers add it. */
export const CONTENT_SECURITY_POLICY = policy();

/**
 * Cross-origin isolation: SharedArrayBuffer, so wasm runs on all cores. Everything is same-origin, so require-corp
 * blocks nothing the app loads. A host without these headers gets the single-threaded build. The dev server sends
 * these alone (not the CSP: hot reload runs inline scripts).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export const SECURITY_HEADERS: PreviewOptions['headers'] = {
  'Content-Security-Policy': policy({ 'frame-ancestors': "'none'" }),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  ...ISOLATION_HEADERS,
};

/** Adds the CSP meta tag to the built index.html only: the dev server needs inline scripts for hot reload. */
function cspMetaTag(): Plugin {
  return {
    name: 'csp-meta-tag',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * `manifestTransforms`: Workbox steps over the precache list, run last. vite.config.ts passes versioned-shards.ts's,
 * which lists the model shards under their versioned URLs with `revision: null`: Workbox then fetches them with the
 * default cache mode, so the copy the page has just downloaded (HTTP cache, or a 304) fills the precache instead of a
 * second download. An entry with a revision is always fetched with `cache: 'reload'`.
 */
export function pwaAndCsp(manifestTransforms: ((entries: PrecacheEntry[]) => { manifest: PrecacheEntry[]; warnings: string[] })[] = []): Plugin[] {
  return [
    cspMetaTag(),
    ...VitePWA({
      registerType: 'prompt', // a new version waits until the user accepts the "reload" prompt (src/ui/UpdatePrompt.tsx)
      injectRegister: false, // UpdatePrompt registers the worker
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'LGG MRI tumor check',
        short_name: 'LGG MRI',
        description: 'Brain MRI (LGG) tumor probability and mask, computed on this device. Research software, not a medical device.',
        theme_color: '#1f3a5f',
        background_color: '#0e1318',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        file_handlers: [{ action: '.', accept: { 'image/tiff': ['.tif', '.tiff'] } }],
      },
      workbox: {
        // The app, the wasm binaries and the models (model.json, card.json, weight shards): offline after one visit.
        globPatterns: ['**/*.{js,css,html,wasm,json,bin,png,svg,webmanifest}'],
        // The models' evaluation files (result JSON, report, training curves) stay on the server for readers; the app
        // never fetches them, so installing it does not download them.
        globIgnores: ['models/*/eval-test.json', 'models/*/report/**', 'models/*/curves-*.svg'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        clientsClaim: true, // the first visit is controlled at once (updates still wait for the prompt)
        navigateFallback: 'index.html',
        manifestTransforms,
      },
    }),
  ];
}
