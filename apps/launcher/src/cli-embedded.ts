/**
 * `npm run cli:embedded -- <command>`: the operator CLI pointed at the running embedded platform.
 * Reads `embedded.env` (written by `npm start`) from the same data directory as the launcher:
 * `FCPLAT_DATA_DIR`, or `.data` at the repository root.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedDataDir, REPO_ROOT } from './data-dir.js';

const envFile = join(embeddedDataDir(), 'embedded.env');
if (!existsSync(envFile)) {
  process.stderr.write(`npm run cli:embedded : ${envFile} est introuvable. Démarrez d'abord la plateforme (npm start), avec le même FCPLAT_DATA_DIR.\n`);
  process.exit(1);
}
const child = spawn(process.execPath, [`--env-file=${envFile}`, join(REPO_ROOT, 'apps/api/dist/cli/main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
