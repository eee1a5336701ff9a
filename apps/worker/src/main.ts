/** The worker process: same configuration as the API (see the README), no HTTP. */
import { logSafeError } from '@fcplat/common';
import { loadConfigOrExit } from '@fcplat/config';
import { startWorker, workerLogger, type RunningWorker } from './worker.js';

const config = loadConfigOrExit('fcplat-worker');
const logger = workerLogger(config);

let worker: RunningWorker | undefined;
let stopRequested: NodeJS.Signals | undefined;

function stop(signal: NodeJS.Signals): void {
  if (stopRequested) return;
  stopRequested = signal;
  if (!worker) return; // still starting: stopped as soon as it is up
  logger.info({ signal }, 'stopping: draining jobs in progress');
  worker.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    },
  );
}

process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

startWorker(config, logger).then(
  (running) => {
    worker = running;
    if (stopRequested) {
      const signal = stopRequested;
      stopRequested = undefined;
      stop(signal);
    }
  },
  (error: unknown) => {
    // A database error keeps its SQLSTATE only (never a query, parameter or detail).
    const message = logSafeError(error).message;
    logger.fatal({ err: error }, 'cannot start');
    process.stderr.write(`fcplat-worker cannot start: ${message}\n`);
    process.exit(1);
  },
);
