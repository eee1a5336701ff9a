import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: ActorType;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  changes!: JsonObject;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
