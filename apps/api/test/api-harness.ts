import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '@fcplat/config';
import { createDataSource, runMigrations } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import {
  LogCapture,
  migratedTestDataSource,
  scratchMigratedDatabase,
  startPgStatementCounter,
  testPlatformConfig,
  withBrowserWriteHeaders,
  withScratchDatabase,
  type PgProxyOptions,
  type PgStatementCounter,
  type ScratchDatabase,
} from '@fcplat/testing';
import type { DataSource } from 'typeorm';
import { franceConnectService } from '../../sandbox/src/services/franceconnect.js';
import { startApi, type ApiApp, type CreateApiOptions } from '../src/app.js';

/** Set-up shared by the API's HTTP tests: the migrated test database, the platform's infrastructure and a started API. */
export interface TestApi {
  readonly dataSource: DataSource;
  readonly config: PlatformConfig;
  readonly infrastructure: PlatformInfrastructure;
  readonly api: ApiApp;
}

/**
 * The test database (migrated), the test configuration (with `env` over the test environment), the
 * API's infrastructure and the API, started with `options`.
 */
export async function startTestApi(options: CreateApiOptions, env: Record<string, string> = {}): Promise<TestApi> {
  const dataSource = await migratedTestDataSource();
  const { config, infrastructure, api } = await startApiProcess(await testPlatformConfig(env), options);
  return { dataSource, config, infrastructure, api };
}

/** An API process of a test's own (a replica, an API on a scratch database or behind a proxy). */
export interface ApiProcess {
  readonly config: PlatformConfig;
  readonly infrastructure: PlatformInfrastructure;
  readonly api: ApiApp;
  /** Stops the API, then closes its infrastructure. */
  close(): Promise<void>;
}

/** What most tests start an API with: no heartbeat, its logs captured, no front-end served. */
export const QUIET_API: CreateApiOptions = { heartbeat: false, logDestination: new LogCapture(), frontends: [] };

/** Opens the API's infrastructure on `config` and starts an API on it with `options`. */
export async function startApiProcess(config: PlatformConfig, options: CreateApiOptions = QUIET_API): Promise<ApiProcess> {
  const infrastructure = await openPlatformInfrastructure(config, 'api');
  const api = await startApi(config, infrastructure, options).catch(async (error: unknown) => {
    await infrastructure.close();
    throw error;
  });
  return {
    config,
    infrastructure,
    api,
    close: async () => {
      await api.close();
      await infrastructure.close();
    },
  };
}

/**
 * Registers on the calling `describe` an API process of its own, on the test configuration with
 * `env` over it (a function when it needs what an earlier `beforeAll` started), started before all
 * (`started` receives it) and closed after all.
 */
export function useApiProcess(env: Record<string, string> | (() => Record<string, string>), started: (parts: ApiProcess) => void, options: CreateApiOptions = QUIET_API): void {
  let replica: ApiProcess | undefined;
  beforeAll(async () => {
    replica = await startApiProcess(await testPlatformConfig(typeof env === 'function' ? env() : env), options);
    started(replica);
  });
  afterAll(() => replica?.close());
}

/** An API on a scratch database of its own, which it reaches through a proxy of PostgreSQL's protocol (to count its statements, or to slow a connection). */
export interface ProxiedApi extends ApiProcess {
  readonly scratch: ScratchDatabase;
  readonly proxy: PgStatementCounter;
}

/**
 * Registers on the calling `describe`: before all, a scratch database (migrated), a proxy in front
 * of it (`options.proxy`: a lag...), an API on the proxy (`options.env` over the test
 * configuration), then `started` with them; after all, the API, the proxy and the database gone.
 */
export function useProxiedApi(started: (parts: ProxiedApi) => void, options: { readonly proxy?: PgProxyOptions; readonly env?: () => Promise<Record<string, string>> } = {}): void {
  let scratch: ScratchDatabase | undefined;
  let proxy: PgStatementCounter | undefined;
  let replica: ApiProcess | undefined;
  beforeAll(async () => {
    scratch = await scratchMigratedDatabase();
    proxy = await startPgStatementCounter(scratch.url, options.proxy);
    replica = await startApiProcess(await testPlatformConfig({ ...(await options.env?.()), DATABASE_URL: proxy.url }));
    started({ ...replica, scratch, proxy });
  });
  afterAll(async () => {
    await replica?.close();
    await proxy?.close();
    await scratch?.drop();
  });
}

/**
 * Runs `fn` with an API of its own, started on the test configuration with `env` over it (a
 * platform configured otherwise than the file's), then closes the API and its infrastructure.
 */
export async function withOtherApi<T>(env: Record<string, string>, options: CreateApiOptions, fn: (api: ApiApp, config: PlatformConfig) => Promise<T>): Promise<T> {
  const other = await startApiProcess(await testPlatformConfig(env), options);
  try {
    return await fn(other.api, other.config);
  } finally {
    await other.close();
  }
}

/** Closes what `startTestApi` opened (any part may be missing when the set-up failed half-way). */
export async function stopTestApi(parts: Partial<TestApi>): Promise<void> {
  await parts.api?.close();
  await parts.infrastructure?.close();
  await parts.dataSource?.destroy();
}

/**
 * `startTestApi` before the tests of the calling `describe` and `stopTestApi` after them: the parts
 * are read from the returned object in hooks and tests (before the start they throw). `env` may be
 * a function, called at the start, when it needs what an earlier `beforeAll` started.
 */
export function useTestApi(options: CreateApiOptions, env: Record<string, string> | (() => Record<string, string>) = {}): TestApi {
  let started: TestApi | undefined;
  beforeAll(async () => {
    started = await startTestApi(options, typeof env === 'function' ? env() : env);
  });
  afterAll(() => stopTestApi(started ?? {}));
  const part = <K extends keyof TestApi>(key: K): TestApi[K] => {
    if (!started) throw new Error(`the test API is not started: read its ${key} in a hook or a test`);
    return started[key];
  };
  return {
    get dataSource() {
      return part('dataSource');
    },
    get config() {
      return part('config');
    },
    get infrastructure() {
      return part('infrastructure');
    },
    get api() {
      return part('api');
    },
  };
}

export type Auth = { authorization: string } | { cookie: string };

export interface Reply {
  readonly status: number;
  /** A JSON document whose shape each test asserts. */
  readonly body: Record<string, unknown>;
}

export interface JsonCallOptions {
  /** Headers sent besides the credentials. */
  readonly headers?: Record<string, string>;
  /** Add what the console's front-end sends on a cookie-authenticated write (`Origin`, `X-CSRF-Token`). */
  readonly browserWrite?: boolean;
}

/** A JSON call to the API at `baseUrl`, its answer parsed (an empty body gives `{}`). */
export async function callJson(baseUrl: string, method: string, path: string, auth: Auth, body?: unknown, options: JsonCallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...auth, ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const sent = options.browserWrite ? withBrowserWriteHeaders(method, path, headers) : headers;
  const response = await fetch(`${baseUrl}${path}`, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * Runs `fn` with a migrated data source on a scratch database of its own (named `applicationName`
 * in PostgreSQL) and the database's URL; the data source is closed and the database dropped after.
 */
export async function withScratchDataSource<T>(applicationName: string, fn: (ds: DataSource, url: string) => Promise<T>): Promise<T> {
  return withScratchDatabase(async (url) => {
    const ds = await scratchDataSource(url, applicationName);
    try {
      return await fn(ds, url);
    } finally {
      await ds.destroy();
    }
  });
}

/** A migrated data source on the scratch database at `url` (see `withScratchDatabase`), named `applicationName` in PostgreSQL. */
async function scratchDataSource(url: string, applicationName: string): Promise<DataSource> {
  const ds = createDataSource({ url, poolMax: 4, ssl: 'disable', statementTimeoutMs: 15_000 }, { applicationName });
  await ds.initialize();
  await runMigrations(ds);
  return ds;
}

/**
 * The sandbox's FranceConnect stand-in on 127.0.0.1 (no clients file) for the calling `describe`:
 * started before all, closed after all. Returns its base URL's reader (for connecting tenants to it).
 */
export function useSandboxFranceConnect(): () => string {
  let running: { server: Server; base: string } | undefined;
  beforeAll(async () => {
    running = await serveOnLoopback(franceConnectService({ clientsFile: null }).handler);
  });
  afterAll(async () => {
    await new Promise((resolve) => running?.server.close(resolve) ?? resolve(undefined));
  });
  return () => {
    if (!running) throw new Error('the sandbox FranceConnect is not started: read its URL in a hook or a test');
    return running.base;
  };
}

/** An HTTP server on 127.0.0.1 (a free port) answering with `handler` (a failed answer closes the socket), and its base URL. */
export async function serveOnLoopback(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
