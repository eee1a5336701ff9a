/**
 * The API process. Configuration comes from the environment (see the README's table) and is
 * validated before anything starts; a bad value stops the process with a message naming it.
 */
import { loadConfigOrExit } from '@fcplat/config';
import { startApi } from './app.js';
import { BootError, openPlatformInfrastructure } from '@fcplat/queue';

const config = loadConfigOrExit('fcplat-api');

async function main(): Promise<void> {
  const infrastructure = await openPlatformInfrastructure(config, 'api');
  const api = await startApi(config, infrastructure);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${JSON.stringify({ level: 'info', service: 'fcplat-api', msg: `${signal} received, stopping` })}\n`);
    void api
      .close()
      .then(() => infrastructure.close())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.stdout.write(
    `${JSON.stringify({ level: 'info', service: 'fcplat-api', msg: 'listening', url: config.http.publicUrl, queue: config.queue.backend })}\n`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof BootError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'fcplat-api', msg: 'cannot start', error: message })}\n`);
  process.stderr.write(`fcplat-api cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
