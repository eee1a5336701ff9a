import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A screenshot of a robot run, served to staff only and purged with its run. The image (up to
 * 8 MiB) is left out of default selects.
 */
@Entity({ name: 'qualification_robot_screenshot' })
export class QualificationRobotScreenshotEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'bytea', select: false })
  png!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
