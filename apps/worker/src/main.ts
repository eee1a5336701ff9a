/** The worker process: same configuration as the API (see the README), no HTTP. */
import { loadConfigOrExit } from '@fcplat/config';
import { startWorker, workerLogger } from './worker.js';

const config = loadConfigOrExit('fcplat-worker');
const logger = workerLogger(config);

startWorker(config, logger).then(
  (worker) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: draining jobs in progress');
      worker.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ error: message }, 'cannot start');
    process.stderr.write(`fcplat-worker cannot start: ${message}\n`);
    process.exit(1);
  },
);
