import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

import type { TenantNameSource, TenantStatus } from '@fcplat/domain';

export { TENANT_NAME_SOURCES, TENANT_STATUSES, type TenantNameSource, type TenantStatus } from '@fcplat/domain';

export interface PostalAddress {
  readonly street?: string;
  readonly postalCode: string | null;
  readonly city: string | null;
  /** INSEE code of the commune, when the company directory gave it. */
  readonly communeCode?: string | null;
}


/** Portal branding, edited by the client administrator. */
export interface TenantBranding {
  readonly portalName?: string;
  /** https only. */
  readonly logoUrl?: string;
  /** `#rrggbb`. */
  readonly primaryColor?: string;
  readonly secondaryColor?: string;
}

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly phone?: string;
}

export interface DirectoryWarning {
  readonly code: string;
  readonly message: string;
}

/** A public-body client of the editor (a tenant of the platform). */
@Entity({ name: 'tenant' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  siret!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'name_source', type: 'text', default: 'manual' })
  nameSource!: TenantNameSource;

  @Column({ type: 'text', default: 'active' })
  status!: TenantStatus;

  @Column({ type: 'jsonb', nullable: true })
  address!: PostalAddress | null;

  @Column({ name: 'legal_category_code', type: 'text', nullable: true })
  legalCategoryCode!: string | null;

  @Column({ name: 'legal_category_label', type: 'text', nullable: true })
  legalCategoryLabel!: string | null;

  @Column({ name: 'directory_warnings', type: 'jsonb', default: () => "'[]'::jsonb" })
  directoryWarnings!: DirectoryWarning[];

  @Column({ name: 'directory_checked_at', type: 'timestamptz', nullable: true })
  directoryCheckedAt!: Date | null;

  @Column({ name: 'technical_contact', type: 'jsonb', nullable: true })
  technicalContact!: Contact | null;

  @Column({ name: 'administrative_contact', type: 'jsonb', nullable: true })
  administrativeContact!: Contact | null;

  @Column({ name: 'connexion_enabled', type: 'boolean', default: true })
  connexionEnabled!: boolean;

  @Column({ name: 'data_retrieval_enabled', type: 'boolean', default: false })
  dataRetrievalEnabled!: boolean;

  /** FranceConnect login and sign-up ask for the data scopes too, and the data is retrieved at once (needs `dataRetrievalEnabled`). */
  @Column({ name: 'data_retrieval_at_login', type: 'boolean', default: false })
  dataRetrievalAtLogin!: boolean;

  /** Portal branding (name, logo, colours), edited by the client administrator. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  branding!: TenantBranding;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
