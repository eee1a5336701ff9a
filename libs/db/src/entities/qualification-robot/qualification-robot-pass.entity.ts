import { Entity, PrimaryColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import type { FranceConnectEnvironment } from '@fcplat/domain';

/**
 * The pass of one run's browser (valid minutes, at most an hour; only its SHA-256 is stored). The
 * robot sends it to the tenant's portal only, in a cookie, so the portal's per-IP limits do not
 * mistake the robot for an attack; when the tenant is live in production it also names the
 * non-production environment whose client the robot logs in with (the CHECK refuses production).
 * Issued by `@fcplat/qualification-runs`, checked by the portal (apps/api/src/portal/robot-pass.service.ts).
 */
@Entity({ name: 'qualification_robot_pass' })
export class QualificationRobotPassEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @UuidColumn()
  tenantId!: string;

  @UuidColumn.nullable()
  runId!: string | null;

  @TextColumn.nullable()
  environment!: Exclude<FranceConnectEnvironment, 'production'> | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn()
  expiresAt!: Date;
}
