import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { CitizenGender, CitizenIdentitySource } from '@fcplat/domain';

export { CITIZEN_GENDERS, CITIZEN_IDENTITY_SOURCES, type CitizenGender, type CitizenIdentitySource } from '@fcplat/domain';

/**
 * A citizen's account on one tenant's portal. The same person has unrelated accounts on two
 * tenants (the same e-mail may exist on both). `email` is null only for an account created from a
 * FranceConnect identity that came without one.
 */
@Entity({ name: 'citizen' })
export class CitizenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Lower-case. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** argon2id; null for accounts created with FranceConnect only. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ name: 'usage_name', type: 'text', nullable: true })
  usageName!: string | null;

  @Column({ name: 'identity_source', type: 'text', nullable: true })
  identitySource!: CitizenIdentitySource | null;

  /** Birth name (`family_name`). */
  @Column({ name: 'family_name', type: 'text', nullable: true })
  familyName!: string | null;

  /** First names, space-separated (`given_name`). */
  @Column({ name: 'given_names', type: 'text', nullable: true })
  givenNames!: string | null;

  /** `YYYY-MM-DD`, possibly with `00` for an unknown month or day (FranceConnect's presumed dates). */
  @Column({ type: 'text', nullable: true })
  birthdate!: string | null;

  /** INSEE COG code of the birth commune (empty for people born abroad). */
  @Column({ type: 'text', nullable: true })
  birthplace!: string | null;

  /** INSEE COG code of the birth country (`99100` France). */
  @Column({ type: 'text', nullable: true })
  birthcountry!: string | null;

  @Column({ type: 'text', nullable: true })
  gender!: CitizenGender | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}

/** The columns of a FranceConnect identity met on a tenant's portal, for a citizen: who (issuer, sub), where, whose. */
export abstract class CitizenFranceConnectColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ type: 'text' })
  sub!: string;
}

/** A FranceConnect identity linked to a citizen: SR-09, unique per (tenant, issuer, sub). */
@Entity({ name: 'citizen_franceconnect_identity' })
export class CitizenFranceConnectIdentityEntity extends CitizenFranceConnectColumns {
  @Column({ name: 'linked_at', type: 'timestamptz', default: () => 'now()' })
  linkedAt!: Date;
}

/** The pivot identity as FranceConnect gave it, kept while a reconciliation waits for the citizen. */
export interface PivotIdentity {
  readonly familyName: string | null;
  readonly givenNames: string | null;
  readonly birthdate: string | null;
  readonly birthplace: string | null;
  readonly birthcountry: string | null;
  readonly gender: CitizenGender | null;
}

/**
 * A FranceConnect identity waiting for the citizen to confirm (or reject) its link to an existing
 * local account (FC-11). Bound to the browser that authenticated with FranceConnect.
 */
@Entity({ name: 'citizen_reconciliation' })
export class CitizenReconciliationEntity extends CitizenFranceConnectColumns {
  @Column({ type: 'jsonb' })
  identity!: PivotIdentity;

  /** SHA-256 of the browser-binding cookie. */
  @Column({ name: 'binding_hash', type: 'text' })
  bindingHash!: string;

  @Column({ name: 'fc_authenticated_at', type: 'timestamptz' })
  fcAuthenticatedAt!: Date;

  /** Encrypted (secret box): the hint of the FranceConnect logout once linked. */
  @Column({ name: 'id_token_ciphertext', type: 'text', nullable: true, select: false })
  idTokenCiphertext!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
