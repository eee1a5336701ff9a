import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { vueAppConfig } from '../../tools/build/vue-app.js';

/** The portal's folder (Vite's root), wherever the config is loaded from. */
export const portalRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * One build serves every tenant: `base: './'` keeps asset URLs relative, and they resolve
 * against the `<base href="/t/{slug}/">` the API writes into index.html.
 */
export const portalViteConfig = vueAppConfig({ root: portalRoot, base: './', optionsApi: false });

export default defineConfig(portalViteConfig);
