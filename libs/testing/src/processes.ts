import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves when the process exits, with its code (or null when killed by a signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs a built entry point (`apps/api/dist/main.js`...) as a real process, as production does.
 * Needs `npm run build` (which `npm test` runs through `typecheck`).
 */
export function spawnBuilt(relativeScript: string, env: NodeJS.ProcessEnv): SpawnedProcess {
  const script = resolve(REPO_ROOT, relativeScript);
  if (!existsSync(script)) throw new Error(`${relativeScript} is not built: run \`npm run build\` first`);
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(output);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match[0]);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      new Promise<string>((resolveWait, reject) => {
        const match = pattern.exec(output);
        if (match) return resolveWait(match[0]);
        const timer = setTimeout(() => reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; got:\n${output.slice(-2000)}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (text) => {
            clearTimeout(timer);
            resolveWait(text);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          const late = pattern.exec(output);
          if (late) resolveWait(late[0]);
          else reject(new Error(`process exited before printing ${pattern}; output:\n${output.slice(-2000)}`));
        });
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Builds a front-end (the Vite config `vite.config.ts` of `appDir`) into `outDir`, in a child
 * process: inside Jest's VM realm, rolldown's native binding refuses the RegExps Vite hands it.
 * A production build, as `npm run build` makes it: Jest sets NODE_ENV=test, which would make Vite
 * keep Vue's development code (bigger, slower, warnings).
 */
export async function viteBuild(appDir: string, outDir: string): Promise<void> {
  const script = [
    "import { build } from 'vite';",
    `await build({ configFile: ${JSON.stringify(join(appDir, 'vite.config.ts'))}, logLevel: 'warn',`,
    `  build: { outDir: ${JSON.stringify(outDir)}, emptyOutDir: true } });`,
  ].join('\n');
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`vite build of ${appDir} failed (${code}):\n${output}`);
}
