import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

export const FRANCECONNECT_STATE_KINDS = ['login', 'logout'] as const;
export type FranceConnectStateKind = (typeof FRANCECONNECT_STATE_KINDS)[number];

/**
 * A pending FranceConnect request of the relying party (libs/franceconnect): the `state` of a
 * login (with its `nonce`) or of a logout, bound to a tenant, a browser (digest of the caller's
 * binding), an issuer and a client_id. Written and consumed by the library with single SQL
 * statements (atomic single use); the entity documents the table and serves reads in tests.
 */
@Entity({ name: 'franceconnect_state' })
export class FranceConnectStateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** SHA-256 (hex) of the `state`: the state itself is never stored. */
  @TextColumn()
  stateHash!: string;

  @TextColumn()
  kind!: FranceConnectStateKind;

  @UuidColumn()
  tenantId!: string;

  /** SHA-256 (hex) of the browser binding given by the caller. */
  @TextColumn()
  bindingHash!: string;

  @TextColumn()
  issuer!: string;

  @TextColumn()
  clientId!: string;

  /** `redirect_uri` of a login, `post_logout_redirect_uri` of a logout. */
  @TextColumn()
  redirectUri!: string;

  /** Why the caller started the flow (`login`, `signup`, `data_retrieval`...; `logout`). */
  @TextColumn()
  purpose!: string;

  /** The login's `nonce` (null for a logout). */
  @TextColumn.nullable()
  nonce!: string | null;

  /** Scopes requested by the login. */
  @TextColumn.nullable()
  scope!: string | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn()
  expiresAt!: Date;

  @TimestampColumn.nullable()
  consumedAt!: Date | null;
}
