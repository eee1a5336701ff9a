import { pinoHttp, type Options } from 'pino-http';
import { QueryFailedError, type DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@fcplat/db';
import { openPlatformInfrastructure } from '@fcplat/queue';
import { LogCapture, makeTenant, migratedTestDataSource, testPlatformConfig, withScratchDatabase } from '@fcplat/testing';
import { startApi } from '../src/app.js';
import { loggerParams } from '../src/logging/logger.js';
import { goodPassword, portalCall } from './portal-http.js';

const EMAIL = 'jeanne.martin.logs@exemple.test';
const USAGE_NAME = 'Jeanne-Usage-Confidentiel';

/** Real PostgreSQL errors raised through TypeORM, each carrying a citizen's value in its query parameters, detail or message. */
async function realDatabaseErrors(ds: DataSource): Promise<QueryFailedError[]> {
  const errors: QueryFailedError[] = [];
  const capture = async (run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof QueryFailedError)) throw error;
      errors.push(error);
    }
  };
  // 22P02: the message itself quotes the value.
  await capture(() => ds.query('SELECT $1::uuid', [EMAIL]));
  // 23505: the driver's detail holds it ("Key (email)=(…) already exists").
  const runner = ds.createQueryRunner();
  try {
    await runner.query('CREATE TEMP TABLE log_safety_probe (email text UNIQUE, usage_name text)');
    await runner.query('INSERT INTO log_safety_probe VALUES ($1, $2)', [EMAIL, USAGE_NAME]);
    await capture(() => runner.query('INSERT INTO log_safety_probe VALUES ($1, $2)', [EMAIL, USAGE_NAME]));
  } finally {
    await runner.release();
  }
  return errors;
}

/**
 * No SQL text, parameter or driver detail of a failing query ever reaches a log line (the
 * citizen's e-mail, names, ciphertexts); the SQLSTATE, constraint and table stay.
 */
describe('personal data never logged with database errors', () => {
  it('logs a real QueryFailedError through the API logger with its SQLSTATE only', async () => {
    const ds = await migratedTestDataSource();
    try {
      const errors = await realDatabaseErrors(ds);
      expect(errors.map((e) => (e.driverError as { code?: string }).code)).toEqual(['22P02', '23505']);
      expect(JSON.stringify({ ...errors[1], message: errors[0]?.message })).toContain(EMAIL); // what used to be logged

      const config = await testPlatformConfig();
      const apiLines = new LogCapture();
      const params = loggerParams(config.log, apiLines).pinoHttp as [Options, LogCapture];
      const apiLogger = pinoHttp(params[0], params[1]).logger;
      for (const error of errors) {
        apiLogger.error({ err: error, code: 'INTERNAL_ERROR' }, 'request failed');
        apiLogger.warn({ callId: 'x', error }, 'under another key');
      }
      for (const lines of [apiLines]) {
        expect(lines.lines.length).toBeGreaterThanOrEqual(2);
        expect(lines.text).not.toContain(EMAIL);
        expect(lines.text).not.toContain(USAGE_NAME);
        expect(lines.text).not.toContain('log_safety_probe VALUES');
        expect(lines.text).toContain('"sqlState":"23505"');
        expect(lines.text).toContain('"constraint":"log_safety_probe_email_key"');
        expect(lines.text).toContain('"table":"log_safety_probe"');
        expect(lines.text).toContain('"sqlState":"22P02"');
      }
    } finally {
      await ds.destroy();
    }
  });

  it('a portal sign-up failing in PostgreSQL (statement timeout) leaves no e-mail, name or password in the API log', async () => {
    await withScratchDatabase(async (url) => {
      const ds = createDataSource({ url, poolMax: 2, ssl: 'disable', statementTimeoutMs: 15_000 }, { applicationName: 'fcplat-test-log-safety' });
      await ds.initialize();
      await runMigrations(ds);
      const config = await testPlatformConfig({ DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: '700' });
      const infrastructure = await openPlatformInfrastructure(config, 'api');
      const logs = new LogCapture();
      const api = await startApi(config, infrastructure, { heartbeat: false, logDestination: logs });
      const blocker = ds.createQueryRunner();
      try {
        const tenant = await makeTenant(ds);
        const password = goodPassword();
        // Another session holds the citizen table: the API's statements wait, then time out (57014).
        await blocker.startTransaction();
        await blocker.query('LOCK TABLE citizen IN ACCESS EXCLUSIVE MODE');
        const reply = await portalCall(api.url, 'POST', `/api/portal/${tenant.slug}/signup`, { body: { email: EMAIL, password, usageName: USAGE_NAME } });
        await blocker.rollbackTransaction();
        expect(reply.status).toBe(500);
        expect(reply.body).toMatchObject({ code: 'INTERNAL_ERROR' });
        expect(logs.text).toContain('"sqlState":"57014"');
        for (const value of [EMAIL, USAGE_NAME, password, 'INSERT INTO', 'SELECT ']) expect(logs.text).not.toContain(value);
        expect(JSON.stringify(reply.body)).not.toContain(EMAIL);
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
        await api.close();
        await infrastructure.close();
        await ds.destroy();
      }
    });
  }, 60_000);
});
