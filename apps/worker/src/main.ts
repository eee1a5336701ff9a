/** The worker process: same configuration as the API (see the README), no HTTP. */
import { logSafeError, stopWithDeadline } from '@fcplat/common';
import { loadConfigOrExit } from '@fcplat/config';
import { QUEUE_NAMES } from '@fcplat/queue';
import { startWorker, workerLogger, type RunningWorker } from './worker.js';

const config = loadConfigOrExit('fcplat-worker');
const logger = workerLogger(config);

let worker: RunningWorker | undefined;
let stopRequested: NodeJS.Signals | undefined;

function stop(signal: NodeJS.Signals): void {
  if (stopRequested) return;
  stopRequested = signal;
  if (!worker) return; // still starting: stopped as soon as it is up
  logger.info({ signal, stopTimeoutMs: config.process.stopTimeoutMs }, 'stopping: draining jobs in progress');
  const running = worker;
  stopWithDeadline(() => running.stop(), config.process.stopTimeoutMs).then(
    (outcome) => {
      if (outcome === 'stopped') process.exit(0);
      // Their locks expire and another worker takes them over (API Particulier calls within
      // seconds, the ledger recording each once); the robot's runs come back with its sweep.
      const jobsRunning = Object.fromEntries(QUEUE_NAMES.map((queue) => [queue, running.host.inFlight(queue)]).filter(([, n]) => Number(n) > 0));
      logger.error({ jobsRunning, stopTimeoutMs: config.process.stopTimeoutMs }, 'stop deadline passed: exiting with jobs still running, left to another worker');
      process.exit(1);
    },
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
