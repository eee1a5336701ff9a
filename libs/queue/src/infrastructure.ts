import type { DataSource } from 'typeorm';
import { describeDatabaseUrl, type PlatformConfig } from '@fcplat/config';
import { createDataSource, pendingMigrations } from '@fcplat/db';
import { connectQueueBackend, type QueueBackend } from './backend.js';
import { JobProducer } from './producer.js';

/** What the API and the worker hold open: built before Nest starts, closed after Nest stops. */
export interface PlatformInfrastructure {
  readonly dataSource: DataSource;
  readonly queueBackend: QueueBackend;
  readonly producer: JobProducer;
  close(): Promise<void>;
}

export class BootError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BootError';
  }
}

/**
 * Connects to PostgreSQL and the queue and checks they are fit for service: the schema has
 * every migration (neither the API nor the worker migrates by itself) and Redis does not evict keys. Any
 * failure is a {@link BootError} naming the cause; nothing is left open behind it.
 */
export async function openPlatformInfrastructure(config: PlatformConfig, role: 'api' | 'worker'): Promise<PlatformInfrastructure> {
  const dataSource = createDataSource(config.database, { applicationName: `fcplat-${role}` });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new BootError(`PostgreSQL at ${describeDatabaseUrl(config.database.url)} is unreachable: ${(error as Error).message}`, { cause: error });
  }
  let queueBackend: QueueBackend | undefined;
  try {
    const pending = await pendingMigrations(dataSource);
    if (pending.length > 0) {
      throw new BootError(`The database schema is not up to date (pending: ${pending.join(', ')}). Run \`npm run db:migrate\` first.`);
    }
    queueBackend = await connectQueueBackend({ config: config.queue, databaseUrl: config.database.url, role: role === 'api' ? 'producer' : 'worker' });
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    if (error instanceof BootError) throw error;
    throw new BootError((error as Error).message, { cause: error });
  }
  const backend = queueBackend;
  const producer = new JobProducer(backend);
  return {
    dataSource,
    queueBackend: backend,
    producer,
    close: async () => {
      await producer.close();
      await backend.close();
      await dataSource.destroy();
    },
  };
}
