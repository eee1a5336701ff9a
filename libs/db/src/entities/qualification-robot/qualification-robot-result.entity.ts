import { Column, Entity, PrimaryColumn } from 'typeorm';
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

  @Column({ type: 'text' })
  verdict!: RobotVerdict;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  findings!: string[];

  /** At most 64 KiB (CHECK). */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  evidence!: Record<string, unknown>;

  /** The environment the item was checked in, when it depends on one. */
  @Column({ type: 'text', nullable: true })
  environment!: FranceConnectEnvironment | null;

  @Column({ type: 'text', array: true, default: () => "'{}'::text[]" })
  screenshots!: string[];
}
