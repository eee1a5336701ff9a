import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
  @Column({ name: 'state_hash', type: 'text' })
  stateHash!: string;

  @Column({ type: 'text' })
  kind!: FranceConnectStateKind;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** SHA-256 (hex) of the browser binding given by the caller. */
  @Column({ name: 'binding_hash', type: 'text' })
  bindingHash!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  /** `redirect_uri` of a login, `post_logout_redirect_uri` of a logout. */
  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  /** Why the caller started the flow (`login`, `signup`, `data_retrieval`...; `logout`). */
  @Column({ type: 'text' })
  purpose!: string;

  /** The login's `nonce` (null for a logout). */
  @Column({ type: 'text', nullable: true })
  nonce!: string | null;

  /** Scopes requested by the login. */
  @Column({ type: 'text', nullable: true })
  scope!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
