import type { DataSource } from 'typeorm';
import type { AuditAction } from '@fcplat/domain';
import { AuditLogEntity, appendAudit, createDataSource, pendingMigrations, revertLastMigration, runMigrations } from '@fcplat/db';
import { migratedTestDataSource, testDatabaseConfig, withScratchDatabase } from '@fcplat/testing';

describe('data layer on the real PostgreSQL', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedTestDataSource();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('has applied every migration and runs again as a no-op', async () => {
    expect(await pendingMigrations(dataSource)).toEqual([]);
    expect((await runMigrations(dataSource)).applied).toEqual([]);
    const [{ server_version: version }] = await dataSource.query('SHOW server_version');
    expect(version).toMatch(/^\d+/);
  });

  it('appends audit rows with sensitive values redacted', async () => {
    const action = `test.redaction_${Date.now()}`;
    await dataSource.transaction((manager) =>
      appendAudit(manager, {
        actor: { type: 'system', id: null },
        tenantId: null,
        action: action as AuditAction, // rows written by this test only (any text fits the column)
        changes: { name: { before: 'a', after: 'b' }, client_secret: { before: 'x', after: 'y' } },
        requestId: 'req-1',
      }),
    );
    const row = await dataSource.getRepository(AuditLogEntity).findOneByOrFail({ action });
    expect(row.changes).toEqual({ name: { before: 'a', after: 'b' }, client_secret: '[REDACTED]' });
    expect(JSON.stringify(row)).not.toContain('"y"');
  });

  it('refuses to update, delete or truncate audit rows', async () => {
    const action = `test.append_only_${Date.now()}`;
    await dataSource.transaction((m) => appendAudit(m, { actor: { type: 'system', id: null }, tenantId: null, action: action as AuditAction }));
    await expect(dataSource.query(`UPDATE audit_log SET action = 'x.y' WHERE action = $1`, [action])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM audit_log WHERE action = $1`, [action])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await dataSource.getRepository(AuditLogEntity).countBy({ action })).toBe(1);
  });

  it('rolls the audit row back with a failed command', async () => {
    const action = `test.rollback_${Date.now()}`;
    await expect(
      dataSource.transaction(async (m) => {
        await appendAudit(m, { actor: { type: 'system', id: null }, tenantId: null, action: action as AuditAction });
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    expect(await dataSource.getRepository(AuditLogEntity).countBy({ action })).toBe(0);
  });

  it('can revert every migration and re-apply them (each has a down)', async () => {
    await withScratchDatabase(async (url) => {
      const scratch = createDataSource({ ...testDatabaseConfig(), url }, { applicationName: 'fcplat-test-scratch' });
      await scratch.initialize();
      try {
        const count = scratch.migrations.length;
        expect((await runMigrations(scratch)).applied).toHaveLength(count);
        for (let i = 0; i < count; i += 1) await revertLastMigration(scratch);
        const [{ n }] = await scratch.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
        expect(n).toBe(0);
        expect(await pendingMigrations(scratch)).toHaveLength(count);
        expect((await runMigrations(scratch)).applied).toHaveLength(count);
      } finally {
        await scratch.destroy();
      }
    });
  });
});
