import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { precompressAssets } from '../../tools/build/precompress.js';
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite';

/** The portal's folder (Vite's root), wherever the config is loaded from. */
export const portalRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * One build serves every tenant: `base: './'` keeps asset URLs relative, and they resolve
 * against the `<base href="/t/{slug}/">` the API writes into index.html.
 * Components are TSX compiled to Vue's JSX runtime, so `tsc` type-checks all of them.
 */
export const portalViteConfig: UserConfig = {
  root: portalRoot,
  base: './',
  plugins: [vue(), precompressAssets()],
  // Workspace libraries (@fcplat/domain) are bundled from their TypeScript sources.
  resolve: { conditions: ['@fcplat/source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'vue' } },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      // libs/domain and libs/common are pure by rule (docs/architecture.md): keep only what the
      // portal uses of them (their package.json does not say `sideEffects: false`).
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]libs[\\/](domain|common)[\\/]src[\\/]/.test(id) },
    },
  },
};

export default defineConfig(portalViteConfig);
