import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TextColumn, TimestampColumn } from '../columns.js';

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

  @TextColumn()
  label!: string;

  @Column({ type: 'bytea', select: false })
  png!: Buffer;

  @TimestampColumn.defaultNow()
  createdAt!: Date;
}
