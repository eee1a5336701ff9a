import { Entity, PrimaryColumn } from 'typeorm';
import { BooleanColumn, TimestampColumn, UuidColumn } from '../columns.js';

/**
 * Platform-wide onboarding settings (a single row). FranceConnect qualifies the editor's software
 * once, per mode, not each client: when it is, the qualification stages of a case may be skipped.
 */
@Entity({ name: 'onboarding_setting' })
export class OnboardingSettingEntity {
  @PrimaryColumn({ type: 'boolean', default: true })
  id!: boolean;

  @BooleanColumn({ default: false })
  editorQualifiedConnexion!: boolean;

  @BooleanColumn({ default: false })
  editorQualifiedDataRetrieval!: boolean;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;

  @UuidColumn.nullable()
  updatedBy!: string | null;
}
