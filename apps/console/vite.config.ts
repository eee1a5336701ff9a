import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { vueAppConfig } from '../../tools/build/vue-app.js';

/** The console's folder (Vite's root), wherever the config is loaded from. */
export const consoleRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is served by the API under `/console/` (apps/api/src/http/frontends.ts), with
 * every unknown path falling back to index.html for client-side routing.
 * Each page is its own chunk (route-level `import()`), PrimeVue components are imported one by
 * one (`primevue/button`…), so the first page only downloads what it renders.
 */
export const consoleViteConfig = vueAppConfig(
  { root: consoleRoot, base: '/console/', optionsApi: true },
  {
    build: {
      // The build report lists each chunk with its gzip size (docs/console.md quotes it).
      reportCompressedSize: true,
      rolldownOptions: {
        output: {
          // Two named vendor chunks that every page needs (cached across releases of the console's
          // own code): Vue with its router, and PrimeVue's core (theming, utilities). PrimeVue's
          // components and their styles stay in the chunks of the pages that render them.
          codeSplitting: {
            groups: [
              { name: 'vue', test: /node_modules[\\/](@vue[\\/]|vue[\\/]|vue-router[\\/])/ },
              { name: 'primevue-core', test: /node_modules[\\/](@primevue[\\/]core[\\/]|@primeuix[\\/](styled|utils|themes)[\\/]|@primeui[\\/])/ },
            ],
          },
        },
      },
    },
  },
);

export default defineConfig(consoleViteConfig);
