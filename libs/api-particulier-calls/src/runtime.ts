/**
 * Everything a process needs to take part in API Particulier calls, built from the configuration:
 * the API starts calls and waits for them (service, ledger); the worker also runs the processor,
 * the fair dispatcher and the retention purge.
 */
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { SecretBox } from '@fcplat/crypto';
import { startWorkerParts, type JobProducer, type PlatformInfrastructure, type RunningWorkerParts } from '@fcplat/queue';
import { LatencyConcurrency } from './concurrency.js';
import { TenantEndpoints } from './credentials.js';
import { CallDispatcher } from './dispatcher.js';
import { CallLedger } from './ledger.js';
import { PgRateLimiter } from './limiter.js';
import { API_PARTICULIER_WORKER_LOCK, ApiParticulierCallProcessor, type ProcessorLog } from './processor.js';
import { ApiParticulierCalls } from './service.js';

export interface ApiParticulierRuntime {
  readonly ledger: CallLedger;
  readonly limiter: PgRateLimiter;
  readonly endpoints: TenantEndpoints;
  readonly service: ApiParticulierCalls;
}

export function apiParticulierRuntime(config: PlatformConfig, dataSource: DataSource, box: SecretBox = new SecretBox(config.secrets.keyring)): ApiParticulierRuntime {
  const ledger = new CallLedger(dataSource, box, config.apiParticulier.resultRetentionDays);
  const endpoints = new TenantEndpoints(dataSource, box, { sandboxUrl: config.apiParticulier.sandboxUrl, allowCustom: config.features.allowCustomEndpoints });
  return { ledger, limiter: new PgRateLimiter(dataSource), endpoints, service: new ApiParticulierCalls(dataSource, ledger, endpoints) };
}

export interface ApiParticulierWorkerParts extends ApiParticulierRuntime {
  readonly processor: ApiParticulierCallProcessor;
  readonly dispatcher: CallDispatcher;
  /** The worker's concurrency for API Particulier jobs: follows the upstream's latency (give it to the worker host). */
  readonly concurrency: LatencyConcurrency;
  /** Starts dispatching and the hourly retention purge. */
  start(): void;
  /** Stops dispatching and the purge; the calls in progress go on. */
  stop(): Promise<void>;
  /** Closes the calls' HTTP agents: once the calls in progress have ended (closed before, their requests would be cut). */
  close(): void;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Test knobs: how fast the reaper and the dispatcher react (production uses the defaults). */
export interface WorkerPartsTuning {
  readonly reaperAfterMs?: number;
  readonly dispatchIntervalMs?: number;
  /** A fixed concurrency instead of one that follows latency (tests comparing the two). */
  readonly fixedConcurrency?: number;
}

export function apiParticulierWorkerParts(
  config: PlatformConfig,
  dataSource: DataSource,
  producer: JobProducer,
  log: ProcessorLog = () => undefined,
  tuning: WorkerPartsTuning = {},
): ApiParticulierWorkerParts {
  const runtime = apiParticulierRuntime(config, dataSource);
  const settings = config.apiParticulier;
  const fixed = tuning.fixedConcurrency;
  const concurrency = new LatencyConcurrency(fixed ? { floor: fixed, max: fixed } : { floor: settings.workerConcurrency, max: settings.workerMaxConcurrency });
  const processor = new ApiParticulierCallProcessor(runtime.ledger, runtime.limiter, runtime.endpoints, { ...settings, workerMaxConcurrency: fixed ?? settings.workerMaxConcurrency }, log, concurrency);
  const dispatcher = new CallDispatcher(
    dataSource,
    producer,
    // Calls waiting in BullMQ: what this worker runs at once, so the window grows with a slow upstream too.
    { window: () => concurrency.current, maxAttempts: settings.maxAttempts, retryBaseDelayMs: settings.retryBaseDelayMs, reaperAfterMs: tuning.reaperAfterMs ?? 60_000 },
    log,
  );
  // A raised concurrency widens the window: dispatch at once, not at the next tick.
  let unsubscribe: (() => void) | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  const purge = (): void => {
    runtime.ledger.purge(settings.logRetentionDays).then(
      (counts) => {
        if (counts.calls + counts.results + counts.batches > 0) log('info', 'API Particulier retention purge', counts);
      },
      (error: unknown) => log('error', 'API Particulier retention purge failed', { err: error }),
    );
  };
  return {
    ...runtime,
    processor,
    dispatcher,
    concurrency,
    start: () => {
      dispatcher.start(tuning.dispatchIntervalMs);
      unsubscribe = concurrency.onChange(() => dispatcher.nudge());
      purge();
      purgeTimer = setInterval(purge, PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    stop: async () => {
      unsubscribe?.();
      if (purgeTimer) clearInterval(purgeTimer);
      await dispatcher.stop();
    },
    close: () => processor.close(),
  };
}

/** Its `stop` stops dispatching, then drains the jobs in progress (the infrastructure stays open). */
export type RunningApiParticulierWorker = RunningWorkerParts<ApiParticulierWorkerParts>;

/**
 * A worker for API Particulier calls alone, on open infrastructure: what test harnesses and
 * embedded set-ups need (the worker process runs the same parts beside its other processors).
 */
export async function startApiParticulierWorker(
  config: PlatformConfig,
  infrastructure: Pick<PlatformInfrastructure, 'dataSource' | 'producer' | 'queueBackend'>,
  options: { readonly log?: ProcessorLog; readonly tuning?: WorkerPartsTuning } = {},
): Promise<RunningApiParticulierWorker> {
  const parts = apiParticulierWorkerParts(config, infrastructure.dataSource, infrastructure.producer, options.log, options.tuning);
  return startWorkerParts(parts, infrastructure, {
    processors: [parts.processor],
    concurrencyByQueue: { 'api-particulier': parts.concurrency },
    lockByQueue: { 'api-particulier': API_PARTICULIER_WORKER_LOCK },
    ...(options.log ? { log: options.log } : {}),
  });
}
