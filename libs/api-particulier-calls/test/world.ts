/**
 * A small world for API Particulier integration tests: a migrated database of the suite's own,
 * the sandbox API Particulier stand-in over real HTTP, real Redis (a prefix of the run's own) and
 * the worker parts in-process (processor, fair dispatcher) — or the real worker process, built.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '@fcplat/config';
import type { TenantEntity } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure, type WorkerHost } from '@fcplat/queue';
import { makeApiParticulierTenant, scratchMigratedDatabase, testPlatformConfig, type ScratchDatabase } from '@fcplat/testing';
import { apiParticulierService, mintSandboxApiParticulierToken, type ApiParticulierSandboxOptions, type MintedToken, type MintOptions } from '../../../apps/sandbox/src/services/api-particulier.js';
import { apiParticulierRuntime, startApiParticulierWorker, type ApiParticulierRuntime, type CallInput, type ApiParticulierWorkerParts, type WorkerPartsTuning } from '../src/index.js';

export type StandIn = ReturnType<typeof apiParticulierService>;

export interface RunningWorkerParts {
  readonly host: WorkerHost;
  readonly parts: ApiParticulierWorkerParts;
  readonly infrastructure: PlatformInfrastructure;
  stop(): Promise<void>;
}

export interface ApipWorld {
  readonly db: ScratchDatabase;
  readonly config: PlatformConfig;
  readonly standIn: StandIn;
  readonly standInUrl: string;
  /** The API side: starts calls, waits for them. */
  readonly api: ApiParticulierRuntime;
  readonly apiInfrastructure: PlatformInfrastructure;
  /** What the in-process workers logged (errors show up here rather than on the console). */
  readonly logs: readonly { level: string; message: string; fields?: Record<string, unknown> }[];
  /** `concurrency`: a fixed one, instead of one that follows latency. */
  startWorker(options?: { concurrency?: number; tuning?: WorkerPartsTuning }): Promise<RunningWorkerParts>;
  /** Requests the stand-in is answering now, and the most at once since the last `resetPeak` (counted by its HTTP server). */
  readonly upstream: { readonly inFlight: number; readonly peak: number; /** Answers sent so far. */ readonly answered: number; resetPeak(): void };
  /** A tenant with a validated habilitation and a fresh stand-in token (`token` options: scopes, expiry). */
  tenant(options?: { scopes?: readonly string[]; modalities?: readonly ('pivot_identity' | 'ine' | 'france_connect')[]; token?: Partial<MintOptions> }): Promise<TenantEntity & { minted: MintedToken }>;
  /** Admin call to the stand-in (`/admin/...`). */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startApipWorld(options: { env?: Record<string, string>; standIn?: ApiParticulierSandboxOptions } = {}): Promise<ApipWorld> {
  const db = await scratchMigratedDatabase();
  const standIn = apiParticulierService(options.standIn ?? {});
  const upstream = {
    inFlight: 0,
    peak: 0,
    answered: 0,
    resetPeak(): void {
      upstream.peak = upstream.inFlight;
    },
  };
  const server: Server = createServer((req, res) => {
    upstream.inFlight += 1;
    upstream.peak = Math.max(upstream.peak, upstream.inFlight);
    res.once('close', () => {
      upstream.inFlight -= 1;
      upstream.answered += 1;
    });
    Promise.resolve(standIn.handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const standInUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = await testPlatformConfig({
    DATABASE_URL: db.url,
    SANDBOX_API_PARTICULIER_URL: standInUrl,
    API_PARTICULIER_TIMEOUT_MS: '1500',
    API_PARTICULIER_RETRY_BASE_DELAY_MS: '200',
    API_PARTICULIER_MAX_ATTEMPTS: '4',
    ...options.env,
  });
  const apiInfrastructure = await openPlatformInfrastructure(config, 'api');
  const api = apiParticulierRuntime(config, apiInfrastructure.dataSource);
  const workers: RunningWorkerParts[] = [];
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];

  const startWorker = async (worker: { concurrency?: number; tuning?: WorkerPartsTuning } = {}): Promise<RunningWorkerParts> => {
    const infrastructure = await openPlatformInfrastructure(config, 'worker');
    const log = (level: string, message: string, fields?: Record<string, unknown>): void => void logs.push({ level, message, ...(fields ? { fields } : {}) });
    const { parts, host, stop } = await startApiParticulierWorker(config, infrastructure, {
      log,
      tuning: { dispatchIntervalMs: 50, ...(worker.concurrency ? { fixedConcurrency: worker.concurrency } : {}), ...worker.tuning },
    });
    const running: RunningWorkerParts = {
      host,
      parts,
      infrastructure,
      stop: async () => {
        workers.splice(workers.indexOf(running), 1);
        await stop();
        await infrastructure.close();
      },
    };
    workers.push(running);
    return running;
  };

  return {
    db,
    config,
    standIn,
    standInUrl,
    api,
    apiInfrastructure,
    logs,
    startWorker,
    upstream,
    tenant: async ({ token, ...tenantOptions } = {}) => {
      const minted = await mintSandboxApiParticulierToken({ subject: 'fcplat-test', ...token });
      const tenant = await makeApiParticulierTenant(db.dataSource, { token: minted.token, ...tenantOptions });
      return Object.assign(tenant, { minted });
    },
    admin: async (method, path, body) => {
      const response = await fetch(`${standInUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    close: async () => {
      for (const worker of [...workers]) await worker.stop();
      await apiInfrastructure.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.drop();
    },
  };
}

/** A person of API Particulier's staging data whose quotient familial is known (2550, CNAF). */
export const LEFEBVRE: CallInput = {
  modality: 'pivot_identity',
  identity: { nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS'], sexeEtatCivil: 'F', anneeDateNaissance: 1982, moisDateNaissance: 12, codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '08480' },
};

/** Queues `count` quotient-familial batch calls for LEFEBVRE on `target` (sandbox); returns their ids. */
export async function enqueueCalls(world: ApipWorld, target: TenantEntity, count: number): Promise<string[]> {
  return world.db.dataSource.transaction((manager) =>
    world.api.ledger.insert(
      manager,
      Array.from({ length: count }, () => ({ tenantId: target.id, recipient: target.siret, environment: 'sandbox' as const, api: 'quotient_familial' as const, input: LEFEBVRE, origin: 'batch' as const, triggeredBy: 'account:test', priority: 1 as const })),
    ),
  );
}

/** The most requests the upstream accepted within any sliding window of `windowMs` (arrival times). */
export function busiestWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
