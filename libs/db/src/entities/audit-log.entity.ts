import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from './columns.js';

export const ACTOR_TYPES = ['staff', 'client_admin', 'citizen', 'api_token', 'system', 'webhook'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * One append-only audit row (SR-25). The table refuses UPDATE, DELETE and TRUNCATE by trigger,
 * so not even a bug or a careless operator can rewrite history through the application's role.
 * `changes` holds changed field names with before/after values, never secret values.
 */
@Entity({ name: 'audit_log' })
@Index('audit_log_tenant_time_idx', ['tenantId', 'occurredAt'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @TimestampColumn.defaultNow()
  occurredAt!: Date;

  @TextColumn()
  actorType!: ActorType;

  @TextColumn.nullable()
  actorId!: string | null;

  @UuidColumn.nullable()
  tenantId!: string | null;

  @TextColumn()
  action!: string;

  @TextColumn.nullable()
  targetType!: string | null;

  @TextColumn.nullable()
  targetId!: string | null;

  @JsonbColumn({ default: () => "'{}'::jsonb" })
  changes!: JsonObject;

  @TextColumn.nullable()
  requestId!: string | null;
}
