import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonbColumn, TextColumn } from '../columns.js';
import type { FranceConnectEnvironment, QualificationItemId, RobotVerdict } from '@fcplat/domain';

/**
 * The robot's verdict on one qualification item of one run, with what was measured (never a
 * secret) and the names of its screenshots (`qualification_robot_screenshot`).
 */
@Entity({ name: 'qualification_robot_result' })
export class QualificationRobotResultEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ name: 'item_id', type: 'text' })
  itemId!: QualificationItemId;

  @TextColumn()
  verdict!: RobotVerdict;

  @TextColumn()
  summary!: string;

  @JsonbColumn({ default: () => "'[]'::jsonb" })
  findings!: string[];

  /** At most 64 KiB (CHECK). */
  @JsonbColumn({ default: () => "'{}'::jsonb" })
  evidence!: Record<string, unknown>;

  /** The environment the item was checked in, when it depends on one. */
  @TextColumn.nullable()
  environment!: FranceConnectEnvironment | null;

  @Column({ type: 'text', array: true, default: () => "'{}'::text[]" })
  screenshots!: string[];
}
