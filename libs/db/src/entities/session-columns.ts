import { PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn } from './columns.js';

/**
 * The columns the console's and the portals' session tables share: the id, the SHA-256 of the
 * cookie's random token, creation and last activity, the idle and absolute expiries, the browser.
 */
export abstract class SessionColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @TextColumn()
  tokenHash!: string;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.defaultNow()
  lastSeenAt!: Date;

  @TimestampColumn()
  idleExpiresAt!: Date;

  @TimestampColumn()
  absoluteExpiresAt!: Date;

  @TextColumn.nullable()
  userAgent!: string | null;
}
