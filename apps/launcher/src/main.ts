/**
 * `npm start` with nothing configured: embedded PostgreSQL (PGlite, data under `.data/`), the
 * queue on BullMQ's PostgreSQL backend, the sandbox stand-ins, the API and the worker as two
 * processes. Prints the URLs to open; Ctrl-C stops everything cleanly.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createDataSource, runMigrations } from '@fcplat/db';
import { startSandbox, type RunningSandbox, type SandboxServiceId } from '@fcplat/sandbox';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { embeddedDataDir, REPO_ROOT as ROOT } from './data-dir.js';
import { embeddedDatabasePassword, embeddedSecrets } from './embedded-secrets.js';
import { startNodeProcess, stopProcess, writePrivateFile, type ManagedProcess } from './processes.js';

const DATA_DIR = embeddedDataDir();
const API_PORT = intFromEnv('PORT', 3000);
const SANDBOX_PORTS: Record<SandboxServiceId, number> = {
  franceconnect: intFromEnv('SANDBOX_FRANCECONNECT_PORT', 4010),
  'api-particulier': intFromEnv('SANDBOX_API_PARTICULIER_PORT', 4020),
  'recherche-entreprises': intFromEnv('SANDBOX_RECHERCHE_ENTREPRISES_PORT', 4030),
  mail: intFromEnv('SANDBOX_MAIL_PORT', 4040),
};
const SANDBOX_SMTP_PORT = intFromEnv('SANDBOX_MAIL_SMTP_PORT', 2525);

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) fail(`${name} must be a port number`);
  return value;
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForReady(url: string, processes: ManagedProcess[], timeoutMs: number): Promise<{ worker: string }> {
  const deadline = Date.now() + timeoutMs;
  let lastWorker = 'unknown';
  while (Date.now() < deadline) {
    for (const p of processes) {
      if (p.child.exitCode !== null) throw new Error(`${p.name} exited:\n  ${p.lastErrors().join('\n  ')}`);
    }
    try {
      const response = await fetch(`${url}/api/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        const body = (await response.json()) as { checks: { worker: { status: string } } };
        lastWorker = body.checks.worker.status;
        if (lastWorker === 'up') return { worker: lastWorker };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (lastWorker !== 'unknown') return { worker: lastWorker };
  throw new Error(`the API did not become ready within ${timeoutMs / 1000} s`);
}

/**
 * The mail sink's default ports (4040, 2525) are a convenience: when they are taken and were not
 * asked for explicitly, free ones are used (the API receives the actual SMTP URL anyway).
 */
async function startSandboxWithMailFallback(): Promise<RunningSandbox> {
  try {
    return await startSandbox({ ports: SANDBOX_PORTS, smtpPort: SANDBOX_SMTP_PORT });
  } catch (error) {
    const defaulted = !process.env.SANDBOX_MAIL_PORT && !process.env.SANDBOX_MAIL_SMTP_PORT;
    if (!defaulted || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startSandbox({ ports: { ...SANDBOX_PORTS, mail: 0 }, smtpPort: 0 });
  }
}

/**
 * The variables the CLI needs to reach this running platform (`npm run cli:embedded`), written
 * to `.data/embedded.env` (mode 0600, git-ignored; it holds the embedded key).
 */
function writeCliEnvironment(env: NodeJS.ProcessEnv): void {
  const names = ['NODE_ENV', 'DATABASE_URL', 'SECRETS_KEYS', 'SECRETS_ACTIVE_KEY', 'ALLOW_CUSTOM_ENDPOINTS', 'QUEUE_BACKEND', 'PUBLIC_URL', 'SMTP_URL', 'COMPANY_DIRECTORY_URL', 'SANDBOX_FRANCECONNECT_URL', 'SANDBOX_API_PARTICULIER_URL'];
  const lines = names.filter((name) => env[name]).map((name) => `${name}=${JSON.stringify(env[name])}`);
  writePrivateFile(join(DATA_DIR, 'embedded.env'), `${lines.join('\n')}\n`);
}

/**
 * The demo tenant wired to the sandbox FranceConnect (`demo:seed`, idempotent), run with the
 * platform's environment once the API is ready. Returns its portal URL, or `null` (with a
 * warning) when seeding failed: the platform stays usable without it.
 */
async function seedDemoTenant(env: NodeJS.ProcessEnv, logFile: string): Promise<string | null> {
  return new Promise((resolveSeed) => {
    execFile(process.execPath, [join(ROOT, 'apps/api/dist/cli/main.js'), 'demo:seed'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      writePrivateFile(logFile, `${stderr}${stdout}`);
      const url = stdout.trim().split('\n').pop() ?? '';
      if (error || !/^https?:\/\//.test(url)) {
        process.stderr.write(`npm start: le portail de démonstration n'a pas pu être préparé (${stderr.trim().split('\n').pop() ?? error?.message ?? 'sortie inattendue'})\n`);
        resolveSeed(null);
        return;
      }
      resolveSeed(url);
    });
  });
}

/** What is running so far, so that Ctrl-C at any moment stops exactly that. */
const running: { children: ManagedProcess[]; stopSandbox?: () => Promise<void>; stopPostgres?: () => Promise<void> } = { children: [] };
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('\nArrêt de la plateforme…');
    await Promise.all(running.children.map((c) => stopProcess(c)));
    await running.stopSandbox?.();
    await running.stopPostgres?.();
    say('Plateforme arrêtée.');
  }
  process.exit(code);
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

async function main(): Promise<void> {
  const started = Date.now();
  const logDir = join(DATA_DIR, 'logs');
  // Logs and secrets live here: readable by this user only (also when made by an older version).
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  chmodSync(DATA_DIR, 0o700);
  chmodSync(logDir, 0o700);
  say('fcplat — démarrage de la plateforme en mode embarqué (aucune configuration requise)…');

  const pgPort = process.env.EMBEDDED_PG_PORT ? intFromEnv('EMBEDDED_PG_PORT', 0) : await freePort();
  const postgres = await startEmbeddedPostgres({ dataDir: join(DATA_DIR, 'pglite'), port: pgPort, maxConnections: 60, password: embeddedDatabasePassword(DATA_DIR) });
  running.stopPostgres = postgres.stop;
  if (stopping) return;
  const dataSource = createDataSource({ url: postgres.url, poolMax: 2, ssl: 'disable', statementTimeoutMs: 60_000 }, { applicationName: 'fcplat-launcher' });
  await dataSource.initialize();
  const { applied } = await runMigrations(dataSource);
  await dataSource.destroy();
  if (applied.length > 0) say(`  base de données : ${applied.length} migration(s) appliquée(s)`);

  const secrets = embeddedSecrets(DATA_DIR);
  // The sandbox FranceConnect keeps its registered clients and keys beside the data, so the
  // demo tenant's client survives a restart.
  process.env.SANDBOX_FRANCECONNECT_CLIENTS_FILE ??= join(DATA_DIR, 'franceconnect-sandbox.json');
  const sandbox = await startSandboxWithMailFallback();
  running.stopSandbox = sandbox.stop;
  if (stopping) return;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: postgres.url,
    DATABASE_POOL_MAX: '4',
    // PGlite's one session cannot deliver LISTEN notifications to one connection: no API caches;
    // and two connections preparing the same statement name in it would collide: unnamed statements.
    DATABASE_CHANGE_NOTIFICATIONS: 'false',
    DATABASE_PREPARED_STATEMENTS: 'false',
    SECRETS_KEYS: process.env.SECRETS_KEYS || secrets.keys,
    SECRETS_ACTIVE_KEY: process.env.SECRETS_ACTIVE_KEY || secrets.activeKey,
    ALLOW_CUSTOM_ENDPOINTS: process.env.ALLOW_CUSTOM_ENDPOINTS || 'true',
    QUEUE_BACKEND: 'postgres',
    PORT: String(API_PORT),
    PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${API_PORT}`,
    COMPANY_DIRECTORY_URL: process.env.COMPANY_DIRECTORY_URL || sandbox.url('recherche-entreprises'),
    // Lets staff register a tenant's client at the sandbox FranceConnect in one action (and the demo tenant below).
    SANDBOX_FRANCECONNECT_URL: process.env.SANDBOX_FRANCECONNECT_URL || sandbox.url('franceconnect'),
    // The tenants' `sandbox` API Particulier environment (and the demo tenant's token) is the stand-in.
    SANDBOX_API_PARTICULIER_URL: process.env.SANDBOX_API_PARTICULIER_URL || sandbox.url('api-particulier'),
    // Invitations and password resets go to the sandbox mail sink unless an SMTP server is given.
    SMTP_URL: process.env.SMTP_URL || sandbox.smtpUrl,
  };
  writeCliEnvironment(env);
  const api = startNodeProcess('api', join(ROOT, 'apps/api/dist/main.js'), env, join(logDir, 'api.log'));
  const worker = startNodeProcess('worker', join(ROOT, 'apps/worker/dist/main.js'), env, join(logDir, 'worker.log'));
  const children = [api, worker];
  running.children.push(api, worker);
  for (const child of children) {
    void child.exited.then((code) => {
      if (!stopping) {
        process.stderr.write(`\n${child.name} s'est arrêté (code ${code}). Dernières lignes :\n  ${child.lastErrors().join('\n  ')}\n`);
        void stopAll(1);
      }
    });
  }

  const publicUrl = env.PUBLIC_URL as string;
  const { worker: workerStatus } = await waitForReady(`http://127.0.0.1:${API_PORT}`, children, 60_000).catch((error: Error) => {
    process.stderr.write(`npm start: ${error.message}\n`);
    return stopAll(1);
  });
  const demoPortal = await seedDemoTenant(env, join(logDir, 'demo-seed.log'));
  if (stopping) return;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say('');
  say(`Plateforme prête en ${seconds} s (worker : ${workerStatus === 'up' ? 'opérationnel' : workerStatus}).`);
  say('');
  if (existsSync(join(ROOT, 'apps/console/dist/index.html'))) say(`  Console                      ${publicUrl}/console/`);
  if (demoPortal) say(`  Portail de démonstration     ${demoPortal}`);
  say(`  Documentation de l'API       ${publicUrl}/api/docs`);
  say(`  État de santé                ${publicUrl}/api/health/ready`);
  for (const service of sandbox.services) {
    if (service.id === 'mail') continue;
    say(`  Bac à sable · ${service.label.padEnd(45)} ${service.url}`);
  }
  if (!process.env.SMTP_URL) say(`  Bac à sable · ${'E-mails envoyés (boîte de réception)'.padEnd(45)} ${sandbox.url('mail')}/messages`);
  say('');
  say("  Premier compte administrateur : npm run cli:embedded -- accounts:create-admin --email vous@editeur.fr --name \"Votre nom\"");
  say('  (le lien d\'invitation s\'ouvre dans la console ; les e-mails arrivent dans la boîte du bac à sable)');
  say('');
  say(`  Données : ${DATA_DIR} (conservées entre deux démarrages) · journaux : ${logDir}`);
  say('  Ctrl-C pour tout arrêter.');
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
