import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the launcher runs from `apps/launcher/dist`). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/**
 * The embedded mode's data directory: `FCPLAT_DATA_DIR` (relative to the current directory) or
 * `.data` at the repository root. `npm start` and `npm run cli:embedded` both use this.
 */
export function embeddedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.FCPLAT_DATA_DIR || join(REPO_ROOT, '.data'));
}
