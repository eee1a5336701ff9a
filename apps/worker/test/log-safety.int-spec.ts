import { QueryFailedError } from 'typeorm';
import { LogCapture, migratedTestDataSource, testPlatformConfig } from '@fcplat/testing';
import { workerLogger } from '../src/worker.js';

const EMAIL = 'paul.durand.worker@exemple.test';

/** The worker's logger (job failures, dispatch, retention) keeps a database error's SQLSTATE, never its query, parameters or values. */
describe('worker logs and database errors', () => {
  it('logs a real QueryFailedError without the citizen value it carried', async () => {
    const ds = await migratedTestDataSource();
    let failure: unknown;
    try {
      await ds.query('SELECT $1::uuid AS id', [EMAIL]);
    } catch (error) {
      failure = error;
    } finally {
      await ds.destroy();
    }
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(String((failure as Error).message)).toContain(EMAIL); // the message itself quotes the value

    const lines = new LogCapture();
    const logger = workerLogger(await testPlatformConfig(), lines);
    logger.error({ err: failure }, 'job failed');
    logger.warn({ callId: 'x', error: failure }, 'API Particulier dispatch failed');
    logger.fatal({ nested: { err: 'fine' }, err: failure }, 'cannot start');
    expect(lines.lines).toHaveLength(3);
    expect(lines.text).not.toContain(EMAIL);
    expect(lines.text).not.toContain('SELECT');
    expect(lines.entries().every((entry) => JSON.stringify(entry).includes('"sqlState":"22P02"'))).toBe(true);
  });
});
