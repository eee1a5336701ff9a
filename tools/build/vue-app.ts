import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, mergeConfig, type UserConfig } from 'vite';
import { precompressAssets } from './precompress.js';

export interface VueAppOptions {
  /** The app's folder (Vite's root). */
  readonly root: string;
  /** `/console/` or `./` (the portal: one build for every tenant's `<base href>`). */
  readonly base: string;
  /** PrimeVue's components need Vue's Options API; the portal's own components do not. */
  readonly optionsApi: boolean;
}

/**
 * What the console and the portal share: Vue components in TSX compiled to Vue's JSX runtime (so
 * `tsc` type-checks them), workspace libraries bundled from their TypeScript sources, production
 * flags, ES2022, Brotli/gzip variants of the assets, and tree-shaking of the pure libs.
 * `extra` is merged on top (Vite's `mergeConfig`).
 */
export function vueAppConfig(options: VueAppOptions, extra: UserConfig = {}): UserConfig {
  const shared: UserConfig = {
    root: options.root,
    base: options.base,
    plugins: [vue(), precompressAssets()],
    resolve: { conditions: ['@fcplat/source', ...defaultClientConditions] },
    oxc: { jsx: { runtime: 'automatic', importSource: 'vue' } },
    define: {
      __VUE_OPTIONS_API__: String(options.optionsApi),
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      rolldownOptions: {
        // libs/domain, libs/common and libs/contract are pure by rule (docs/architecture.md): keep
        // only what the app uses of them (their package.json does not say `sideEffects: false`).
        treeshake: { moduleSideEffects: (id: string) => !/[\\/]libs[\\/](domain|common|contract)[\\/]src[\\/]/.test(id) },
      },
    },
  };
  return mergeConfig(shared, extra);
}
