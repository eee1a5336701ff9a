/**
 * The API process. Configuration comes from the environment (see the README's table) and is
 * validated before anything starts; a bad value stops the process with a message naming it.
 */
import { logSafeError, stopWithDeadline } from '@fcplat/common';
import { loadConfigOrExit } from '@fcplat/config';
import { startApi } from './app.js';
import { BootError, openPlatformInfrastructure } from '@fcplat/queue';

const config = loadConfigOrExit('fcplat-api');

let stopRequested = false;
let stopNow: ((signal: string) => void) | undefined;
// Registered first, so a signal that arrives while booting is not lost.
process.once('SIGTERM', () => (stopNow ? stopNow('SIGTERM') : (stopRequested = true)));
process.once('SIGINT', () => (stopNow ? stopNow('SIGINT') : (stopRequested = true)));

async function main(): Promise<void> {
  const infrastructure = await openPlatformInfrastructure(config, 'api');
  const api = await startApi(config, infrastructure);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const stopTimeoutMs = config.process.stopTimeoutMs;
    process.stdout.write(`${JSON.stringify({ level: 'info', service: 'fcplat-api', msg: `${signal} received, stopping`, stopTimeoutMs })}\n`);
    void stopWithDeadline(async () => {
      await api.close();
      await infrastructure.close();
    }, stopTimeoutMs).then(
      (outcome) => {
        if (outcome === 'stopped') process.exit(0);
        // The requests still open are cut: their clients see the connection close.
        process.stdout.write(`${JSON.stringify({ level: 'error', service: 'fcplat-api', msg: 'stop deadline passed: exiting with requests still open', stopTimeoutMs })}\n`);
        process.exit(1);
      },
      () => process.exit(1),
    );
  };
  stopNow = stop;
  if (stopRequested) stop('signal received while starting');
  process.stdout.write(
    `${JSON.stringify({ level: 'info', service: 'fcplat-api', msg: 'listening', url: config.http.publicUrl, queue: config.queue.backend })}\n`,
  );
}

main().catch((error: unknown) => {
  // Through the log-safe allow-list: a database error keeps its SQLSTATE, never a query or value.
  const safe = logSafeError(error);
  const message = error instanceof BootError ? error.message : `${safe.message}${safe.stack ? `\n${safe.stack}` : ''}`;
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'fcplat-api', msg: 'cannot start', error: message })}\n`);
  process.stderr.write(`fcplat-api cannot start: ${safe.message}\n`);
  process.exit(1);
});
