import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, validationError, type FieldViolation } from '@fcplat/common';
import { CitizenEntity, CitizenReconciliationEntity, appendAudit, type SqlRunner, type TenantEntity } from '@fcplat/db';
import { hashToken, newToken } from '@fcplat/crypto';
import type { PlatformConfig } from '@fcplat/config';
import { hashPassword, passwordViolations, verifyPassword, warmPasswordHashing } from '../accounts/passwords.js';
import { DATA_SOURCE, HOT_SQL, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { MailService } from '../mail/mail.service.js';
import { signupConfirmationLink, signupConfirmationMail, signupExistingAccountMail } from './portal-mails.js';
import { uniqueViolation } from '../tenants/tenant-params.js';
import { citizenActor, citizenTarget, franceConnectIdentityColumns, linkFranceConnectIdentity, loadCitizen } from './citizen-records.js';
import type { CitizenContext } from './citizen-session.guard.js';
import { CitizenSessionsService, ID_TOKEN_FIELD, franceConnectSessionEnd } from './citizen-sessions.service.js';
import { PortalRateLimiter } from './rate-limits.js';
import { PIVOT_FIELDS, type CitizenLoginInput, type CitizenSignupInput, type CitizenView, type IdentityView, type PatchCitizenInput } from '@fcplat/contract';

/** What the portal's commands need of a request. */
export interface PortalRequestContext {
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly requestId: string | null;
  /** This portal's session cookie (`fcplat_citizen_<slug>`) the request came with, revoked by a new login on this portal. */
  readonly previousToken: string | null;
}

export interface NewSession {
  readonly token: string;
  readonly expiresAt: Date;
}

export const RECONCILIATION_ID_TOKEN_FIELD = 'citizen_reconciliation.id_token';

const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';
const EMAIL_TAKEN = 'Un compte existe déjà avec cette adresse e-mail sur ce portail : connectez-vous.';
const SIGNUP_LINK_INVALID = 'Ce lien d’activation n’est plus valable (déjà utilisé, ou plus de 24 heures) : inscrivez-vous à nouveau.';
/** Lifetime of a sign-up activation link. */
export const SIGNUP_LINK_LIFETIME_MS = 24 * 3600_000;
const IDENTITY_FROM_FRANCECONNECT =
  'Votre identité vient de FranceConnect : nom de naissance, prénoms, date, lieu et pays de naissance et sexe ne sont pas modifiables ici.';
const NO_RECONCILIATION = 'Aucune association avec FranceConnect n’est en attente pour ce compte dans ce navigateur.';

/**
 * Citizen accounts of a portal: sign-up and login with e-mail and password (argon2id, the
 * console's policy), the profile (usage name and e-mail editable; a pivot identity from
 * FranceConnect read-only, FC-15/16), deletion, and the citizen's answer to a pending
 * reconciliation (FC-11). Every query is filtered by the tenant of the URL.
 */
@Injectable()
export class CitizensService implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(HOT_SQL) private readonly hotSql: SqlRunner,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly sessions: CitizenSessionsService,
    private readonly limits: PortalRateLimiter,
    private readonly mail: MailService,
  ) {}

  onModuleInit(): void {
    warmPasswordHashing();
  }

  /**
   * A sign-up request: the same answer whether or not the address has an account on this portal
   * (no enumeration). A new address gets a one-time activation link (24 hours); an address that
   * has an account gets a message saying so. The password is hashed in both cases (same time),
   * and nothing is created until the link is used ({@link confirmSignup}).
   */
  async signup(tenant: TenantEntity, input: CitizenSignupInput, context: PortalRequestContext): Promise<void> {
    await this.limits.signup(tenant.id, context.ip);
    const violations = passwordViolations(input.password, input.email);
    if (violations.length > 0) throw validationError(violations);
    const passwordHash = await hashPassword(input.password);
    const portalName = tenant.branding.portalName?.trim() || tenant.name;
    const exists = await this.dataSource.getRepository(CitizenEntity).existsBy({ tenantId: tenant.id, email: input.email });
    // Without a mail server nothing can be confirmed: the same 503 for every address, before any write.
    this.mail.assertConfigured();
    if (exists) {
      await this.mail.send(signupExistingAccountMail({ to: input.email, portalName, loginLink: `${this.config.http.publicUrl}/t/${tenant.slug}/` }));
      return;
    }
    // Expired requests go as new ones come (indexed): the table holds at most a day of requests.
    await this.dataSource.query(`DELETE FROM citizen_signup_request WHERE expires_at < now()`);
    const token = newToken();
    const expiresAt = new Date(Date.now() + SIGNUP_LINK_LIFETIME_MS);
    await this.dataSource.query(
      `INSERT INTO citizen_signup_request (tenant_id, email, password_hash, usage_name, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenant.id, input.email, passwordHash, input.usageName ?? null, hashToken(token), expiresAt],
    );
    await this.mail.send(signupConfirmationMail({ to: input.email, portalName, link: signupConfirmationLink(this.config.http.publicUrl, tenant.slug, token), expiresAt }));
  }

  /**
   * Activates the account of a sign-up request with the token its link carried: once, within 24
   * hours, then logs in. An address that got an account meanwhile (another request, FranceConnect)
   * is told so: whoever holds the link owns the address.
   */
  async confirmSignup(tenant: TenantEntity, token: string, context: PortalRequestContext): Promise<NewSession> {
    // Not counted against the sign-up budget: the request was; the token (256 random bits) cannot be guessed.
    return this.dataSource
      .transaction(async (manager) => {
        const [request] = (await manager.query(
          `SELECT id, email, password_hash, usage_name FROM citizen_signup_request
            WHERE token_hash = $1 AND tenant_id = $2 AND used_at IS NULL AND expires_at > now() FOR UPDATE`,
          [hashToken(token), tenant.id],
        )) as { id: string; email: string; password_hash: string; usage_name: string | null }[];
        if (!request) throw new AppError('NOT_FOUND', { detail: SIGNUP_LINK_INVALID });
        await manager.query(`UPDATE citizen_signup_request SET used_at = now() WHERE id = $1`, [request.id]);
        // Other pending requests of the address are void once it has an account.
        await manager.query(`DELETE FROM citizen_signup_request WHERE tenant_id = $1 AND email = $2 AND used_at IS NULL`, [tenant.id, request.email]);
        const inserted = await manager
          .getRepository(CitizenEntity)
          .createQueryBuilder()
          .insert()
          .values({ tenantId: tenant.id, email: request.email, passwordHash: request.password_hash, usageName: request.usage_name, lastLoginAt: new Date() })
          .returning(['id'])
          .execute();
        const citizenId = (inserted.raw as { id: string }[])[0]?.id;
        if (!citizenId) throw new Error('INSERT returned no row');
        await appendAudit(manager, {
          actor: citizenActor(citizenId),
          tenantId: tenant.id,
          action: 'citizen.created',
          target: citizenTarget(citizenId),
          changes: { method: 'password', emailConfirmed: true },
          requestId: context.requestId,
        });
        await this.sessions.revokeToken(context.previousToken);
        const { token: sessionToken, absoluteExpiresAt } = await this.sessions.create(manager, { tenantId: tenant.id, citizenId, source: 'password', userAgent: context.userAgent });
        return { token: sessionToken, expiresAt: absoluteExpiresAt };
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error) === 'citizen_tenant_email_uq') throw new AppError('CONFLICT', { detail: EMAIL_TAKEN });
        throw error;
      });
  }

  async login(tenant: TenantEntity, input: CitizenLoginInput, context: PortalRequestContext): Promise<NewSession> {
    await this.limits.beforeLogin(tenant.id, context.ip, input.email);
    const citizen = await this.dataSource
      .getRepository(CitizenEntity)
      .createQueryBuilder('c')
      .addSelect('c.passwordHash')
      .where('c.tenant_id = :tenantId AND c.email = :email', { tenantId: tenant.id, email: input.email })
      .getOne();
    // Unknown e-mails and accounts without a password are checked against a dummy hash: same answer, same time.
    const passwordOk = await verifyPassword(citizen?.passwordHash ?? null, input.password);
    if (!citizen || !passwordOk) {
      await this.limits.loginFailed(tenant.id, context.ip, input.email);
      throw new AppError('UNAUTHENTICATED', { detail: BAD_CREDENTIALS });
    }
    await this.limits.loginSucceeded(tenant.id, context.ip, input.email);
    await this.sessions.revokeToken(context.previousToken);
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(CitizenEntity).update({ id: citizen.id, tenantId: tenant.id }, { lastLoginAt: new Date() });
      const { token, absoluteExpiresAt } = await this.sessions.create(manager, { tenantId: tenant.id, citizenId: citizen.id, source: 'password', userAgent: context.userAgent });
      return { token, expiresAt: absoluteExpiresAt };
    });
  }

  /**
   * The profile, in one statement (it follows every login): the account, whether a FranceConnect
   * identity is linked, and the reconciliation pending for this browser, if any.
   */
  async me(context: CitizenContext): Promise<CitizenView> {
    const rows = (await this.hotSql.query(
      `SELECT c.id, c.email, c.usage_name, c.identity_source, c.family_name, c.given_names, c.birthdate, c.birthplace, c.birthcountry, c.gender,
              EXISTS (SELECT 1 FROM citizen_franceconnect_identity l WHERE l.tenant_id = c.tenant_id AND l.citizen_id = c.id) AS linked,
              r.identity AS pending_identity, r.expires_at AS pending_expires_at
         FROM citizen c
         LEFT JOIN citizen_reconciliation r
           ON $3::text IS NOT NULL AND r.tenant_id = c.tenant_id AND r.citizen_id = c.id AND r.binding_hash = $3 AND r.expires_at > now()
        WHERE c.id = $1 AND c.tenant_id = $2`,
      [context.session.citizenId, context.tenant.id, context.binding],
    )) as ProfileRow[];
    const row = rows[0];
    if (!row) throw new AppError('UNAUTHENTICATED', { detail: 'Ce compte n’existe plus.' });
    return citizenView(row, context);
  }

  async update(context: CitizenContext, input: PatchCitizenInput, requestId: string | null): Promise<CitizenView> {
    const tenantId = context.tenant.id;
    await this.dataSource
      .transaction(async (manager) => {
        const loaded = await loadCitizen(manager, tenantId, context.session.citizenId, { lock: true });
        if (!loaded) throw new AppError('UNAUTHENTICATED', { detail: 'Ce compte n’existe plus.' });
        const { citizen } = loaded;
        const changes: Partial<CitizenEntity> = {};
        if (input.usageName !== undefined && input.usageName !== citizen.usageName) changes.usageName = input.usageName;
        if (input.email !== undefined && input.email !== citizen.email) changes.email = input.email;
        Object.assign(changes, identityChanges(citizen, input));
        const fields = Object.keys(changes).filter((key) => key !== 'identitySource');
        if (fields.length === 0) return;
        await manager.getRepository(CitizenEntity).update({ id: citizen.id, tenantId }, { ...changes, updatedAt: new Date() });
        await appendAudit(manager, {
          actor: citizenActor(citizen.id),
          tenantId,
          action: 'citizen.profile_updated',
          target: citizenTarget(citizen.id),
          changes: { fields },
          requestId,
        });
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error) === 'citizen_tenant_email_uq') {
          throw new AppError('CONFLICT', { detail: EMAIL_TAKEN, violations: [{ path: 'email', message: 'adresse déjà utilisée' }] });
        }
        throw error;
      });
    return this.me(context);
  }

  /**
   * Deletes the account (sessions, FranceConnect links and pending reconciliation go with it) and
   * returns the ID token of this session's FranceConnect authentication, for the FranceConnect
   * logout that must follow (FC-12).
   */
  async remove(context: CitizenContext, requestId: string | null): Promise<{ idToken: string | null }> {
    const idToken = await this.sessions.idTokenOf(context.session);
    await this.dataSource.transaction(async (manager) => {
      const citizenId = context.session.citizenId;
      const [, affected] = (await manager.query(`DELETE FROM citizen WHERE id = $1 AND tenant_id = $2`, [citizenId, context.tenant.id])) as [unknown, number];
      if (affected !== 1) throw new AppError('UNAUTHENTICATED', { detail: 'Ce compte n’existe plus.' });
      await appendAudit(manager, { actor: citizenActor(citizenId), tenantId: context.tenant.id, action: 'citizen.deleted', target: citizenTarget(citizenId), changes: {}, requestId });
    });
    return { idToken };
  }

  /** Ends the session; returns the ID token of its FranceConnect authentication, if any (SR-10). */
  async logout(context: CitizenContext): Promise<{ idToken: string | null }> {
    const idToken = context.session.fcAuthenticatedAt ? await this.sessions.idTokenOf(context.session) : null;
    await this.sessions.revokeToken(context.token);
    return { idToken };
  }

  /** Links the pending FranceConnect identity to this account (the citizen confirmed, FC-11). */
  async confirmReconciliation(context: CitizenContext, requestId: string | null): Promise<CitizenView> {
    const tenantId = context.tenant.id;
    await this.dataSource
      .transaction(async (manager) => {
        const pending = await this.pendingFor(manager, context);
        const loaded = await loadCitizen(manager, tenantId, context.session.citizenId, { lock: true });
        if (!loaded) throw new AppError('UNAUTHENTICATED', { detail: 'Ce compte n’existe plus.' });
        if (loaded.links.some((link) => link.issuer === pending.issuer)) {
          throw new AppError('CONFLICT', { detail: 'Ce compte est déjà associé à une identité FranceConnect.' });
        }
        await manager.getRepository(CitizenReconciliationEntity).delete({ id: pending.id });
        await linkFranceConnectIdentity(manager, { tenantId, citizenId: loaded.citizen.id, issuer: pending.issuer, sub: pending.sub, how: 'confirmed', requestId });
        await manager.getRepository(CitizenEntity).update({ id: loaded.citizen.id, tenantId }, { ...franceConnectIdentityColumns(pending.identity), updatedAt: new Date() });
        // The session now carries this FranceConnect authentication (its logout, its 30 minutes for data retrieval).
        const session = context.session;
        if (!session.fcIssuer || (session.fcIssuer === pending.issuer && session.fcSub === pending.sub)) {
          const idToken = this.sessions.open(pending.idTokenCiphertext, tenantId, RECONCILIATION_ID_TOKEN_FIELD);
          await this.sessions.attachFranceConnect(manager, session, {
            issuer: pending.issuer,
            environment: null,
            sub: pending.sub,
            authenticatedAt: pending.fcAuthenticatedAt,
            idToken: idToken ?? (await this.sessionIdToken(manager, session.id, tenantId)),
            accessToken: null,
            accessTokenExpiresAt: null,
            purpose: 'login',
            scopes: [],
          });
        }
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error) === 'citizen_franceconnect_identity_subject_uq') {
          throw new AppError('CONFLICT', { detail: 'Cette identité FranceConnect est déjà associée à un autre compte de ce portail.' });
        }
        throw error;
      });
    const session = await this.sessions.reload(context.session);
    return this.me(session ? { ...context, session } : context);
  }

  /** Forgets the pending FranceConnect identity: the account stays as it was. */
  async rejectReconciliation(context: CitizenContext, requestId: string | null): Promise<CitizenView> {
    await this.dataSource.transaction(async (manager) => {
      const pending = await this.pendingFor(manager, context);
      await manager.getRepository(CitizenReconciliationEntity).delete({ id: pending.id });
      await appendAudit(manager, {
        actor: citizenActor(context.session.citizenId),
        tenantId: context.tenant.id,
        action: 'citizen.reconciliation_rejected',
        target: citizenTarget(context.session.citizenId),
        changes: { reconciliationId: pending.id },
        requestId,
      });
    });
    return this.me(context);
  }

  private async pendingFor(manager: EntityManager, context: CitizenContext): Promise<CitizenReconciliationEntity> {
    const pending = context.binding
      ? await manager
          .getRepository(CitizenReconciliationEntity)
          .createQueryBuilder('r')
          .addSelect('r.idTokenCiphertext')
          .where('r.tenant_id = :tenantId AND r.citizen_id = :citizenId AND r.binding_hash = :binding AND r.expires_at > now()', {
            tenantId: context.tenant.id,
            citizenId: context.session.citizenId,
            binding: context.binding,
          })
          .setLock('pessimistic_write')
          .getOne()
      : null;
    if (!pending) throw new AppError('NOT_FOUND', { detail: NO_RECONCILIATION });
    return pending;
  }

  private async sessionIdToken(manager: EntityManager, sessionId: string, tenantId: string): Promise<string | null> {
    const rows = (await manager.query(`SELECT fc_id_token_ciphertext FROM citizen_session WHERE id = $1`, [sessionId])) as { fc_id_token_ciphertext: string | null }[];
    return this.sessions.open(rows[0]?.fc_id_token_ciphertext ?? null, tenantId, ID_TOKEN_FIELD);
  }
}

/** The identity columns a profile edit changes; refused for an identity from FranceConnect (FC-15). */
function identityChanges(citizen: CitizenEntity, input: PatchCitizenInput): Partial<CitizenEntity> {
  const given = PIVOT_FIELDS.filter((field) => input[field] !== undefined);
  if (given.length === 0) return {};
  if (citizen.identitySource === 'franceconnect') {
    throw validationError(
      given.map((path) => ({ path, message: 'non modifiable : cette information vient de FranceConnect' })),
      IDENTITY_FROM_FRANCECONNECT,
    );
  }
  const next = {
    familyName: input.familyName ?? citizen.familyName,
    givenNames: input.givenNames ?? citizen.givenNames,
    birthdate: input.birthdate ?? citizen.birthdate,
    birthplace: input.birthplace !== undefined ? input.birthplace : citizen.birthplace,
    birthcountry: input.birthcountry ?? citizen.birthcountry,
    gender: input.gender ?? citizen.gender,
  };
  const missing: FieldViolation[] = (['familyName', 'givenNames', 'birthdate', 'birthcountry', 'gender'] as const)
    .filter((field) => !next[field])
    .map((path) => ({ path, message: 'champ obligatoire pour compléter votre identité' }));
  if (next.birthcountry === '99100' && !next.birthplace) missing.push({ path: 'birthplace', message: 'commune de naissance obligatoire pour une naissance en France' });
  if (next.birthcountry && next.birthcountry !== '99100' && next.birthplace) missing.push({ path: 'birthplace', message: 'pas de commune de naissance pour une naissance à l’étranger' });
  if (missing.length > 0) throw validationError(missing);
  const changes: Partial<CitizenEntity> = { identitySource: 'local' };
  for (const [key, value] of Object.entries(next) as [keyof typeof next, string | null][]) {
    if (value !== citizen[key]) (changes as Record<string, unknown>)[key] = value;
  }
  return changes;
}

/** What {@link CitizensService.me} reads. */
interface ProfileRow {
  readonly id: string;
  readonly email: string | null;
  readonly usage_name: string | null;
  readonly identity_source: IdentityView['source'] | null;
  readonly family_name: string | null;
  readonly given_names: string | null;
  readonly birthdate: string | null;
  readonly birthplace: string | null;
  readonly birthcountry: string | null;
  readonly gender: IdentityView['gender'];
  readonly linked: boolean;
  readonly pending_identity: CitizenReconciliationEntity['identity'] | null;
  readonly pending_expires_at: Date | null;
}

function citizenView(row: ProfileRow, context: CitizenContext): CitizenView {
  const identity: IdentityView | null = row.identity_source
    ? {
        source: row.identity_source,
        familyName: row.family_name,
        givenNames: row.given_names,
        birthdate: row.birthdate,
        birthplace: row.birthplace,
        birthcountry: row.birthcountry,
        gender: row.gender,
      }
    : null;
  const fcEnd = franceConnectSessionEnd(context.session);
  return {
    id: row.id,
    email: row.email,
    usageName: row.usage_name,
    identity,
    franceConnectLinked: row.linked,
    ...(fcEnd && fcEnd.getTime() > Date.now() ? { franceConnectSessionExpiresAt: fcEnd.toISOString() } : {}),
    ...(row.pending_identity && row.pending_expires_at
      ? { pendingReconciliation: { identity: row.pending_identity, expiresAt: new Date(row.pending_expires_at).toISOString() } }
      : {}),
  };
}
