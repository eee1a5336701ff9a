import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Platform-wide onboarding settings (a single row). FranceConnect qualifies the editor's software
 * once, per mode, not each client: when it is, the qualification stages of a case may be skipped.
 */
@Entity({ name: 'onboarding_setting' })
export class OnboardingSettingEntity {
  @PrimaryColumn({ type: 'boolean', default: true })
  id!: boolean;

  @Column({ name: 'editor_qualified_connexion', type: 'boolean', default: false })
  editorQualifiedConnexion!: boolean;

  @Column({ name: 'editor_qualified_data_retrieval', type: 'boolean', default: false })
  editorQualifiedDataRetrieval!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;
}
