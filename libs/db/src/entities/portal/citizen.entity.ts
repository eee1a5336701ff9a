import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

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

  @UuidColumn()
  tenantId!: string;

  /** Lower-case. */
  @TextColumn.nullable()
  email!: string | null;

  /** argon2id; null for accounts created with FranceConnect only. */
  @TextColumn.nullable({ select: false })
  passwordHash!: string | null;

  @TextColumn.nullable()
  usageName!: string | null;

  @TextColumn.nullable()
  identitySource!: CitizenIdentitySource | null;

  /** Birth name (`family_name`). */
  @TextColumn.nullable()
  familyName!: string | null;

  /** First names, space-separated (`given_name`). */
  @TextColumn.nullable()
  givenNames!: string | null;

  /** `YYYY-MM-DD`, possibly with `00` for an unknown month or day (FranceConnect's presumed dates). */
  @TextColumn.nullable()
  birthdate!: string | null;

  /** INSEE COG code of the birth commune (empty for people born abroad). */
  @TextColumn.nullable()
  birthplace!: string | null;

  /** INSEE COG code of the birth country (`99100` France). */
  @TextColumn.nullable()
  birthcountry!: string | null;

  @TextColumn.nullable()
  gender!: CitizenGender | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.defaultNow()
  updatedAt!: Date;

  @TimestampColumn.nullable()
  lastLoginAt!: Date | null;
}

/** The columns of a FranceConnect identity met on a tenant's portal, for a citizen: who (issuer, sub), where, whose. */
export abstract class CitizenFranceConnectColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  tenantId!: string;

  @UuidColumn()
  citizenId!: string;

  @TextColumn()
  issuer!: string;

  @TextColumn()
  sub!: string;
}

/** A FranceConnect identity linked to a citizen: SR-09, unique per (tenant, issuer, sub). */
@Entity({ name: 'citizen_franceconnect_identity' })
export class CitizenFranceConnectIdentityEntity extends CitizenFranceConnectColumns {
  @TimestampColumn.defaultNow()
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
  @JsonbColumn()
  identity!: PivotIdentity;

  /** SHA-256 of the browser-binding cookie. */
  @TextColumn()
  bindingHash!: string;

  @TimestampColumn()
  fcAuthenticatedAt!: Date;

  /** Encrypted (secret box): the hint of the FranceConnect logout once linked. */
  @TextColumn.nullable({ select: false })
  idTokenCiphertext!: string | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn()
  expiresAt!: Date;
}
