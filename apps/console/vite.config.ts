import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { precompressAssets } from '../../tools/build/precompress.js';
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite';

/** The console's folder (Vite's root), wherever the config is loaded from. */
export const consoleRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is served by the API under `/console/` (apps/api/src/http/frontends.ts), with
 * every unknown path falling back to index.html for client-side routing.
 * Components are TSX compiled to Vue's JSX runtime, so `tsc` type-checks all of them.
 * Each page is its own chunk (route-level `import()`), PrimeVue components are imported one by
 * one (`primevue/button`…), so the first page only downloads what it renders.
 */
export const consoleViteConfig: UserConfig = {
  root: consoleRoot,
  base: '/console/',
  plugins: [vue(), precompressAssets()],
  // Workspace libraries (@fcplat/domain) are bundled from their TypeScript sources.
  resolve: { conditions: ['@fcplat/source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'vue' } },
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The build report lists each chunk with its gzip size (docs/console.md quotes it).
    reportCompressedSize: true,
    rolldownOptions: {
      // libs/domain and libs/common are pure by rule (docs/architecture.md): keep only what the
      // console uses of them (their package.json does not say `sideEffects: false`).
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]libs[\\/](domain|common)[\\/]src[\\/]/.test(id) },
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
};

export default defineConfig(consoleViteConfig);
