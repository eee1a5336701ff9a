import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { EMBEDDED_SESSION_SETUP } from '../src/embedded-postgres.js';
import { listenPglite, type SessionServer } from '../src/pglite-session-server.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a real PostgreSQL client binary (psql, pg_dump from /usr/bin), never prompting. */
function run(binary: string, args: readonly string[], password?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PGPASSFILE: '/dev/null', PGCONNECT_TIMEOUT: '20', ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve) => {
    execFile(binary, ['-w', ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * The embedded database's port, as a local user would reach it: a password is required
 * (SCRAM-SHA-256 in our socket server, since pglite-socket has no authentication), and what a
 * psql or pg_dump session sets never reaches the platform's queries (the shared session is reset
 * and set up again at every hand-over).
 */
describe('embedded PostgreSQL socket: password and shared-session hygiene (real psql and pg_dump)', () => {
  const password = randomBytes(24).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'fcplat-pglite-security-'));
  let db: PGlite;
  let server: SessionServer;
  let platform: pg.Client;
  let base: string;

  beforeAll(async () => {
    db = await PGlite.create(dataDir);
    await db.exec(`CREATE SCHEMA IF NOT EXISTS bullmq; CREATE TABLE IF NOT EXISTS item (id int PRIMARY KEY, owner text NOT NULL); INSERT INTO item VALUES (1, 'platform') ON CONFLICT DO NOTHING`);
    server = await listenPglite(db, { port: 0, host: '127.0.0.1', maxConnections: 10, password, sessionSetup: EMBEDDED_SESSION_SETUP });
    base = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    // The platform's connection: unqualified table names, as TypeORM and BullMQ write them.
    platform = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres` });
    await platform.connect();
  }, 120_000);

  afterAll(async () => {
    await platform?.end();
    await server?.stop();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function platformStillWorks(): Promise<void> {
    expect((await platform.query('SELECT owner FROM item WHERE id = $1', [1])).rows).toEqual([{ owner: 'platform' }]);
    expect((await platform.query('SHOW search_path')).rows).toEqual([{ search_path: 'public, bullmq' }]);
    expect((await platform.query('SELECT current_setting($1) AS v', ['statement_timeout'])).rows).toEqual([{ v: '0' }]);
  }

  it('refuses a client without the password, or with a wrong one', async () => {
    const without = await run('psql', ['-d', base, '-c', 'SELECT 1']);
    expect(without.code).not.toBe(0);
    expect(without.stderr).toMatch(/password/i);
    const wrong = await run('psql', ['-d', base, '-c', 'SELECT 1'], 'not-the-password');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('password authentication failed');
    const client = new pg.Client({ connectionString: `postgres://postgres:wrong-password@127.0.0.1:${server.port}/postgres` });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
    await platformStillWorks();
  }, 120_000);

  it('lets psql in with the password, and its session settings never reach the platform', async () => {
    const psql = await run('psql', ['-d', base, '-At', '-c', 'set search_path = pg_catalog', '-c', 'set statement_timeout = 1', '-c', 'SHOW search_path'], password);
    expect(psql.stderr).toBe('');
    expect(psql.code).toBe(0);
    expect(psql.stdout.trim().split('\n').pop()).toBe('pg_catalog'); // psql's own setting held for psql
    await platformStillWorks();

    // While a psql session sets things and waits, the platform's queries run with its own set-up.
    const busy = run('psql', ['-d', base, '-c', "SELECT pg_catalog.set_config('search_path', '', false)", '-c', 'SET ROLE postgres', '-c', 'SELECT pg_catalog.pg_sleep(0.5)', '-c', "SELECT pg_catalog.set_config('search_path', 'pg_catalog', false)"], password);
    for (let i = 0; i < 20; i++) await platformStillWorks();
    expect((await busy).code).toBe(0);
    await platformStillWorks();
  }, 120_000);

  it('survives pg_dump (which clears search_path first), and later platform queries work', async () => {
    const dump = await run('pg_dump', ['-d', base, '--schema-only'], password);
    // pg_dump 15 (Debian 12) refuses a newer server (PGlite is PostgreSQL 18) right after its
    // session set-up; a pg_dump >= 18 dumps. Either way the platform must not notice.
    if (dump.code === 0) expect(dump.stdout).toContain('CREATE TABLE public.item');
    else expect(dump.stderr).toMatch(/server version mismatch/);
    await platformStillWorks();
    // A new platform connection too.
    const fresh = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres` });
    await fresh.connect();
    try {
      expect((await fresh.query('SELECT count(*)::int AS n FROM item')).rows).toEqual([{ n: 1 }]);
    } finally {
      await fresh.end();
    }
  }, 120_000);
});
