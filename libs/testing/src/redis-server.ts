import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './environment.js';

export interface ScratchRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away `redis-server` on a free loopback port with the given extra arguments
 * (e.g. `['--maxmemory-policy', 'allkeys-lru']`), for tests that need a misconfigured or a
 * killable Redis without touching the shared one. Stopped by its own PID.
 */
export async function startScratchRedis(extraArgs: readonly string[] = [], fixedPort?: number): Promise<ScratchRedis> {
  const port = fixedPort ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, disconnectTimeout: 100 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error('redis-server did not start (is it installed?)');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
