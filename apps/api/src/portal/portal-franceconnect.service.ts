import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@fcplat/common';
import { PORTAL_NOTICES, isApiParticulierScope, type FranceConnectEnvironment, type PortalNoticeCode } from '@fcplat/domain';
import { CitizenEntity, CitizenFranceConnectIdentityEntity, CitizenSessionEntity, appendAudit, type SqlRunner, type TenantEntity } from '@fcplat/db';
import { hashToken } from '@fcplat/crypto';
import { DATA_SOURCE, HOT_SQL } from '../infrastructure/tokens.js';
import { uniqueViolation } from '../tenants/tenant-params.js';
import { citizenActor, citizenTarget, franceConnectIdentityColumns, linkFranceConnectIdentity, loadCitizen, pivotIdentityOf, type CitizenLoad } from './citizen-records.js';
import type { CitizenContext } from './citizen-session.guard.js';
import { CitizenSessionsService, FRANCECONNECT_SESSION_MS, franceConnectSessionEnd, type SessionFranceConnect } from './citizen-sessions.service.js';
import { RECONCILIATION_ID_TOKEN_FIELD, type PortalRequestContext } from './citizens.service.js';
import {
  FRANCECONNECT_FLOWS,
  FranceConnectFlowError,
  type FlowTenant,
  type FranceConnectAuthentication,
  type FranceConnectFlows,
  type FranceConnectPurpose,
} from './franceconnect-flows.js';
import { emailOfClaims, pivotIdentityOfClaims, samePivotIdentity, type PivotIdentity } from './pivot-identity.js';
import type { DataRetrievalConfirmation, DataRetrievalStart } from '@fcplat/contract';
import { DataRetrievalService } from './data-retrieval.service.js';

/** Where the browser goes after a FranceConnect callback. */
export type CallbackOutcome =
  /** A new session (new token) for the citizen, then `path`. */
  | { readonly kind: 'session'; readonly token: string; readonly expiresAt: Date; readonly path: string; readonly citizenId: string }
  /** The current session goes on (updated), then `path`. */
  | { readonly kind: 'continue'; readonly path: string }
  /** No session: back to the portal's home page with a French notice. */
  | { readonly kind: 'notice'; readonly code: PortalNoticeCode };

export const profilePath = (slug: string): string => `/t/${slug}/profil`;
export const dataRetrievalLoginPath = (slug: string): string => `/t/${slug}/auth/franceconnect/login?purpose=data_retrieval`;

/** `environment`: the robot pass's environment for the qualification robot's browser (null: the live one). */
const flowTenant = (tenant: TenantEntity, environment: FranceConnectEnvironment | null = null): FlowTenant => ({
  id: tenant.id,
  slug: tenant.slug,
  dataAtLogin: tenant.dataRetrievalEnabled && tenant.dataRetrievalAtLogin,
  environment,
});

// The portal shows its own sentence for each code (PORTAL_NOTICES); these are the same sentences.
const NOT_YOUR_DATA = PORTAL_NOTICES.identite_differente;
const DATA_RETRIEVAL_DISABLED = PORTAL_NOTICES.recuperation_desactivee;

/**
 * The portal's side of FranceConnect: which account a verified FranceConnect identity opens
 * (SR-09: found by tenant, issuer and `sub`; FC-10 sign-up; FC-11 reconciliation, automatic when
 * the pivot identity matches, otherwise confirmed by the citizen in the browser that proved both),
 * and the data-retrieval mode (FC-08 D, FC-11: the data must belong to the logged-in account).
 * The protocol itself (state, nonce, token checks) is the relying party's, behind
 * {@link FranceConnectFlows}.
 */
@Injectable()
export class PortalFranceConnectService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(HOT_SQL) private readonly hotSql: SqlRunner,
    @Inject(FRANCECONNECT_FLOWS) private readonly flows: FranceConnectFlows,
    private readonly sessions: CitizenSessionsService,
    private readonly retrieval: DataRetrievalService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('PortalFranceConnect');
  }

  /** The FranceConnect authorization URL for `purpose`; throws {@link FranceConnectFlowError} when the portal does not offer it. */
  async start(tenant: TenantEntity, binding: string, purpose: FranceConnectPurpose, current: CitizenSessionEntity | null, environment: FranceConnectEnvironment | null = null): Promise<string> {
    if (purpose === 'data_retrieval') {
      if (!tenant.dataRetrievalEnabled) throw new FranceConnectFlowError('recuperation_desactivee', DATA_RETRIEVAL_DISABLED, false);
      if (!current) throw new FranceConnectFlowError('connexion_requise', PORTAL_NOTICES.connexion_requise, false);
    } else if (!tenant.connexionEnabled) {
      throw new FranceConnectFlowError('connexion_desactivee', PORTAL_NOTICES.connexion_desactivee, false);
    }
    return this.flows.begin(flowTenant(tenant, environment), binding, purpose);
  }

  /** Completes a callback: the relying party verifies, then the identity opens (or is refused) an account. */
  async callback(
    tenant: TenantEntity,
    binding: string,
    query: Readonly<Record<string, string>>,
    current: CitizenSessionEntity | null,
    context: PortalRequestContext,
    environment: FranceConnectEnvironment | null = null,
  ): Promise<CallbackOutcome> {
    const authentication = await this.flows.complete(flowTenant(tenant, environment), binding, query);
    return this.signIn(tenant, authentication, binding, current, context);
  }

  /**
   * What a verified FranceConnect authentication does on this portal. Public for tests, which
   * drive it with identities of their own; the HTTP callback reaches it through {@link callback}.
   */
  async signIn(
    tenant: TenantEntity,
    auth: FranceConnectAuthentication,
    binding: string,
    current: CitizenSessionEntity | null,
    context: PortalRequestContext,
  ): Promise<CallbackOutcome> {
    if (auth.purpose === 'data_retrieval') {
      await this.recordLoginActivity(tenant.id, auth.environment);
      return this.dataRetrievalCallback(tenant, auth, current);
    }
    let outcome: CallbackOutcome;
    try {
      outcome = await this.logIn(tenant, auth, binding, current, context);
    } catch (error) {
      // Two callbacks of the same new identity (or e-mail) at once: the loser finds the winner's account.
      const constraint = uniqueViolation(error);
      if (constraint !== 'citizen_franceconnect_identity_subject_uq' && constraint !== 'citizen_tenant_email_uq') throw error;
      outcome = await this.logIn(tenant, auth, binding, current, context);
    }
    return this.retrieveAtLogin(tenant, auth, outcome);
  }

  /**
   * Login-time data retrieval: when the tenant chose it and the citizen granted the data scopes at
   * FranceConnect, the calls start now (the access token lives 60 s), for the account that this
   * very FranceConnect identity opened (FC-11 holds by construction: no pending reconciliation).
   * The profile page then waits for the answers. A failure to queue never fails the login.
   */
  private async retrieveAtLogin(tenant: TenantEntity, auth: FranceConnectAuthentication, outcome: CallbackOutcome): Promise<CallbackOutcome> {
    if (outcome.kind !== 'session' || !tenant.dataRetrievalEnabled || !tenant.dataRetrievalAtLogin || !auth.scopes.some(isApiParticulierScope)) return outcome;
    try {
      await this.retrieval.startAtLogin(tenant.id, outcome.citizenId, auth);
      // Used: a later « Récupérer mes données » goes through FranceConnect again (one retrieval per token).
      await this.sessions.dropAccessToken(tenant.id, outcome.token);
    } catch (error) {
      this.logger.warn({ tenantId: tenant.id, code: error instanceof AppError ? error.code : 'unexpected' }, 'login-time data retrieval not started');
      return outcome;
    }
    return { ...outcome, path: `${profilePath(tenant.slug)}?recuperation=connexion` };
  }

  /** `POST /data-retrieval`: confirmation only within 30 minutes of a FranceConnect authentication of this account. */
  async dataRetrievalStart(context: CitizenContext): Promise<DataRetrievalStart> {
    if (!context.tenant.dataRetrievalEnabled) throw new AppError('FORBIDDEN', { detail: DATA_RETRIEVAL_DISABLED });
    const end = await this.verifiedFranceConnectEnd(context);
    // The access token lives 60 s: past it, a confirmation could not call anything, so FranceConnect again.
    if (end && this.retrieval.hasUsableToken(context)) return { status: 'confirm_required', expiresAt: end.toISOString() };
    return { status: 'redirect', redirect: dataRetrievalLoginPath(context.tenant.slug) };
  }

  /** `POST /data-retrieval/confirm`: the citizen confirms within the FranceConnect session. */
  async dataRetrievalConfirm(context: CitizenContext): Promise<DataRetrievalConfirmation> {
    if (!context.tenant.dataRetrievalEnabled) throw new AppError('FORBIDDEN', { detail: DATA_RETRIEVAL_DISABLED });
    const end = await this.verifiedFranceConnectEnd(context);
    if (!end) {
      throw new AppError('FORBIDDEN', {
        detail: 'Votre session FranceConnect a expiré ou ne correspond pas à ce compte : reconnectez-vous avec FranceConnect pour récupérer vos données.',
        extensions: { redirect: dataRetrievalLoginPath(context.tenant.slug) },
      });
    }
    await this.dataSource
      .getRepository(CitizenSessionEntity)
      .update({ id: context.session.id, tenantId: context.tenant.id }, { dataRetrievalConfirmedAt: new Date() });
    const results = await this.retrieval.retrieve(context, this.sessions);
    return { status: 'ok', scopes: context.session.fcScopes, results };
  }

  /** The FranceConnect logout URL for `idToken`, or null when it cannot be built (the local session is ended anyway). */
  async logoutUrl(tenant: TenantEntity, binding: string, idToken: string | null, environment: FranceConnectEnvironment | null = null): Promise<string | null> {
    if (!idToken) return null;
    try {
      return await this.flows.logoutUrl(flowTenant(tenant, environment), binding, idToken);
    } catch (error) {
      this.logger.warn({ tenantId: tenant.id, code: error instanceof FranceConnectFlowError ? error.code : 'unexpected' }, 'FranceConnect logout URL unavailable');
      return null;
    }
  }

  /**
   * Where a stopped flow sends the browser when the relying party recommends ending the
   * FranceConnect session (FC-20: a tampered `state` or `nonce`, an invalid token…): the
   * `end_session` URL, with the ID token as hint when one was verified, otherwise with the
   * `client_id` (FranceConnect asks the citizen to confirm). Null when it cannot be built.
   */
  async failureLogoutUrl(tenant: TenantEntity, binding: string, idToken: string | null, environment: FranceConnectEnvironment | null = null): Promise<string | null> {
    try {
      return await this.flows.logoutUrl(flowTenant(tenant, environment), binding, idToken);
    } catch (error) {
      this.logger.warn({ tenantId: tenant.id, code: error instanceof FranceConnectFlowError ? error.code : 'unexpected' }, 'FranceConnect logout URL unavailable');
      return null;
    }
  }

  async completeLogout(tenant: TenantEntity, binding: string, state: string, environment: FranceConnectEnvironment | null = null): Promise<void> {
    await this.flows.completeLogout(flowTenant(tenant, environment), binding, state);
  }

  // ---- internals ----

  private async logIn(
    tenant: TenantEntity,
    auth: FranceConnectAuthentication,
    binding: string,
    current: CitizenSessionEntity | null,
    context: PortalRequestContext,
  ): Promise<CallbackOutcome> {
    const identity = pivotIdentityOfClaims(auth.claims);
    const fc = sessionFranceConnect(auth);
    const tenantId = tenant.id;
    const path = profilePath(tenant.slug);
    // A known identity (the common case): its account, whatever session the browser had.
    const known = await this.signInKnownIdentity(tenantId, auth, identity, fc, context, path);
    if (known) return known;
    await this.recordLoginActivity(tenantId, auth.environment);

    // Logged in with a password and adding FranceConnect: this account, automatically or once confirmed.
    if (current) {
      const loaded = await loadCitizen(this.dataSource.manager, tenantId, current.citizenId);
      if (loaded) return this.reconcileLoggedIn(tenant, loaded, current, auth, identity, binding, context);
    }

    // A new identity with the e-mail of an existing account: reconciliation (FC-11).
    const email = emailOfClaims(auth.claims);
    const sameEmail = email
      ? await this.dataSource
          .getRepository(CitizenEntity)
          .createQueryBuilder('c')
          .addSelect('c.passwordHash')
          .where('c.tenant_id = :tenantId AND c.email = :email', { tenantId, email })
          .getOne()
      : null;
    if (sameEmail) {
      const links = await this.dataSource.getRepository(CitizenFranceConnectIdentityEntity).find({ where: { tenantId, citizenId: sameEmail.id } });
      const own = pivotIdentityOf(sameEmail);
      if (!links.some((link) => link.issuer === auth.issuer)) {
        if (own && samePivotIdentity(own, identity)) {
          await this.sessions.revokeToken(context.previousToken);
          return this.dataSource.transaction(async (manager) => {
            await linkFranceConnectIdentity(manager, { tenantId, citizenId: sameEmail.id, issuer: auth.issuer, sub: auth.sub, how: 'automatic', requestId: context.requestId });
            await manager.getRepository(CitizenEntity).update({ id: sameEmail.id, tenantId }, { ...franceConnectIdentityColumns(identity), lastLoginAt: new Date(), updatedAt: new Date() });
            return this.newSession(manager, tenantId, sameEmail.id, fc, context, path);
          });
        }
        if (sameEmail.passwordHash) {
          // The owner of the account proves it with its password, in this browser, then confirms.
          await this.savePending(this.dataSource.manager, tenantId, sameEmail.id, auth, identity, binding);
          return { kind: 'notice', code: 'reconciliation_requise' };
        }
      }
    }

    // Sign-up with FranceConnect (FC-10): a local account from the identity. Its e-mail, when the
    // address is free (another person of the same household may use it).
    await this.sessions.revokeToken(context.previousToken);
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .getRepository(CitizenEntity)
        .createQueryBuilder()
        .insert()
        .values({
          tenantId,
          email: sameEmail ? null : email,
          usageName: typeof auth.claims.preferred_username === 'string' && auth.claims.preferred_username.trim() ? auth.claims.preferred_username.trim().slice(0, 200) : null,
          ...franceConnectIdentityColumns(identity),
          lastLoginAt: new Date(),
        })
        .returning(['id'])
        .execute();
      const citizenId = (inserted.raw as { id: string }[])[0]?.id;
      if (!citizenId) throw new Error('INSERT returned no row');
      await appendAudit(manager, {
        actor: citizenActor(citizenId),
        tenantId,
        action: 'citizen.created',
        target: citizenTarget(citizenId),
        changes: { method: 'franceconnect' },
        requestId: context.requestId,
      });
      await linkFranceConnectIdentity(manager, { tenantId, citizenId, issuer: auth.issuer, sub: auth.sub, how: 'signup', requestId: context.requestId });
      return this.newSession(manager, tenantId, citizenId, fc, context, path);
    });
  }

  /** A citizen logged in with a password authenticates with FranceConnect: link now if the pivot identity matches, otherwise ask. */
  private async reconcileLoggedIn(
    tenant: TenantEntity,
    loaded: CitizenLoad,
    current: CitizenSessionEntity,
    auth: FranceConnectAuthentication,
    identity: PivotIdentity,
    binding: string,
    context: PortalRequestContext,
  ): Promise<CallbackOutcome> {
    const tenantId = tenant.id;
    const fc = sessionFranceConnect(auth);
    if (loaded.links.some((link) => link.issuer === auth.issuer)) {
      throw new FranceConnectFlowError(
        'autre_identite',
        PORTAL_NOTICES.autre_identite,
        true,
        auth.idToken,
      );
    }
    const own = pivotIdentityOf(loaded.citizen);
    if (own && samePivotIdentity(own, identity)) {
      await this.sessions.revokeToken(context.previousToken);
      return this.dataSource.transaction(async (manager) => {
        await linkFranceConnectIdentity(manager, { tenantId, citizenId: loaded.citizen.id, issuer: auth.issuer, sub: auth.sub, how: 'automatic', requestId: context.requestId });
        await manager.getRepository(CitizenEntity).update({ id: loaded.citizen.id, tenantId }, { ...franceConnectIdentityColumns(identity), lastLoginAt: new Date(), updatedAt: new Date() });
        return this.newSession(manager, tenantId, loaded.citizen.id, fc, context, profilePath(tenant.slug));
      });
    }
    await this.dataSource.transaction(async (manager) => {
      await this.savePending(manager, tenantId, loaded.citizen.id, auth, identity, binding);
      // Not linked yet, but a FranceConnect session exists: this session's logout ends it (SR-10).
      await this.sessions.attachFranceConnect(manager, current, { ...fc, accessToken: null, accessTokenExpiresAt: null, scopes: [] });
    });
    return { kind: 'continue', path: profilePath(tenant.slug) };
  }

  /** Data retrieval: the FranceConnect identity must be the account's (FC-11), else nothing is kept. */
  private async dataRetrievalCallback(tenant: TenantEntity, auth: FranceConnectAuthentication, current: CitizenSessionEntity | null): Promise<CallbackOutcome> {
    if (!current) {
      throw new FranceConnectFlowError('connexion_requise', PORTAL_NOTICES.connexion_requise, true, auth.idToken);
    }
    if (!tenant.dataRetrievalEnabled) throw new FranceConnectFlowError('recuperation_desactivee', DATA_RETRIEVAL_DISABLED, true, auth.idToken);
    const loaded = await loadCitizen(this.dataSource.manager, tenant.id, current.citizenId);
    if (!loaded || !(await this.belongsTo(loaded, tenant.id, auth.issuer, auth.sub, pivotIdentityOfClaims(auth.claims)))) {
      this.logger.info({ tenantId: tenant.id, citizenId: current.citizenId }, 'data retrieval refused: FranceConnect identity of another person');
      throw new FranceConnectFlowError('identite_differente', NOT_YOUR_DATA, true, auth.idToken);
    }
    await this.dataSource.transaction((manager) => this.sessions.attachFranceConnect(manager, current, sessionFranceConnect(auth)));
    return { kind: 'continue', path: `${profilePath(tenant.slug)}?recuperation=confirmer` };
  }

  /** Whether (issuer, sub) is this account's: its linked identity, or, unlinked, an identity no other account holds whose pivot identity is the account's. */
  private async belongsTo(loaded: CitizenLoad, tenantId: string, issuer: string, sub: string, identity: PivotIdentity | null): Promise<boolean> {
    const link = loaded.links.find((l) => l.issuer === issuer);
    if (link) return link.sub === sub;
    if (await this.dataSource.getRepository(CitizenFranceConnectIdentityEntity).existsBy({ tenantId, issuer, sub })) return false;
    const own = pivotIdentityOf(loaded.citizen);
    return own !== null && identity !== null && samePivotIdentity(own, identity);
  }

  /** End of the FranceConnect session of this session when it is live and proven to be the account's; else null. */
  private async verifiedFranceConnectEnd(context: CitizenContext): Promise<Date | null> {
    const { session } = context;
    const end = franceConnectSessionEnd(session);
    if (!end || end.getTime() <= Date.now() || !session.fcIssuer || !session.fcSub) return null;
    if (session.fcPurpose === 'data_retrieval') return end; // checked against the account at the callback
    const linked = await this.dataSource
      .getRepository(CitizenFranceConnectIdentityEntity)
      .existsBy({ tenantId: context.tenant.id, citizenId: session.citizenId, issuer: session.fcIssuer, sub: session.fcSub });
    return linked ? end : null;
  }

  /**
   * The hot path of a citizen's FranceConnect login, in ONE statement (atomic without a
   * transaction): finds the account linked to (tenant, issuer, sub), refreshes its pivot identity
   * from FranceConnect when that is where it comes from (FC-15), ends the browser's previous session
   * of this portal, opens the new session and records the login for staff. Null when the identity
   * is linked to no account (sign-up, reconciliation: the slower paths).
   */
  private async signInKnownIdentity(
    tenantId: string,
    auth: FranceConnectAuthentication,
    identity: PivotIdentity,
    fc: SessionFranceConnect,
    context: PortalRequestContext,
    path: string,
  ): Promise<CallbackOutcome | null> {
    // Prepared for the account found; the statement stores it only if there is one.
    const prepared = this.sessions.prepare({ tenantId, citizenId: '', source: 'franceconnect', franceConnect: fc, userAgent: context.userAgent });
    const session = prepared.columns;
    const rows = (await this.hotSql.query(
      `WITH linked AS (
         SELECT citizen_id FROM citizen_franceconnect_identity WHERE tenant_id = $1 AND issuer = $2 AND sub = $3)
       , signed_in AS (
         UPDATE citizen c SET last_login_at = now(),
                family_name  = CASE WHEN c.identity_source = 'franceconnect' AND $4 THEN $5  ELSE c.family_name  END,
                given_names  = CASE WHEN c.identity_source = 'franceconnect' AND $4 THEN $6  ELSE c.given_names  END,
                birthdate    = CASE WHEN c.identity_source = 'franceconnect' AND $4 THEN $7  ELSE c.birthdate    END,
                birthplace   = CASE WHEN c.identity_source = 'franceconnect' AND $4 THEN $8  ELSE c.birthplace   END,
                birthcountry = CASE WHEN c.identity_source = 'franceconnect' AND $4 THEN $9  ELSE c.birthcountry END,
                gender       = CASE WHEN c.identity_source = 'franceconnect' AND $4 THEN $10 ELSE c.gender       END
           FROM linked WHERE c.id = linked.citizen_id AND c.tenant_id = $1
         RETURNING c.id)
       , previous AS (
         DELETE FROM citizen_session WHERE token_hash = $11 AND EXISTS (SELECT 1 FROM signed_in))
       , opened AS (
         INSERT INTO citizen_session (token_hash, tenant_id, citizen_id, source, idle_expires_at, absolute_expires_at, user_agent,
                                      fc_issuer, fc_environment, fc_sub, fc_authenticated_at, fc_id_token_ciphertext,
                                      fc_access_token_ciphertext, fc_access_token_expires_at, fc_purpose, fc_scopes)
         SELECT $12::text, $1::uuid, signed_in.id, 'franceconnect', $13::timestamptz, $14::timestamptz, $15::text, $2::text, $16::text, $3::text,
                $17::timestamptz, $18::text, $19::text, $20::timestamptz, $21::text, $22::jsonb FROM signed_in
         RETURNING citizen_id)
       , activity AS (${LOGIN_ACTIVITY_UPSERT('$1', '$16')})
       SELECT (SELECT citizen_id FROM linked) AS linked, (SELECT citizen_id FROM opened) AS opened`,
      [
        tenantId,
        auth.issuer,
        auth.sub,
        hasPivot(identity),
        identity.familyName,
        identity.givenNames,
        identity.birthdate,
        identity.birthplace,
        identity.birthcountry,
        identity.gender,
        context.previousToken && context.previousToken.length <= MAX_SESSION_COOKIE ? hashToken(context.previousToken) : null,
        session.tokenHash,
        session.idleExpiresAt,
        session.absoluteExpiresAt,
        session.userAgent,
        auth.environment,
        session.fcAuthenticatedAt,
        session.fcIdTokenCiphertext,
        session.fcAccessTokenCiphertext,
        session.fcAccessTokenExpiresAt,
        session.fcPurpose,
        JSON.stringify(session.fcScopes ?? []),
      ],
    )) as Array<{ linked: string | null; opened: string | null }>;
    const row = rows[0];
    if (!row?.linked) return null;
    if (!row.opened) throw new FranceConnectFlowError('compte_introuvable', PORTAL_NOTICES.compte_introuvable, false);
    return { kind: 'session', token: prepared.token, expiresAt: prepared.absoluteExpiresAt, path, citizenId: row.opened };
  }

  /** The last successful FranceConnect login per environment, for staff (never fails the login). */
  private async recordLoginActivity(tenantId: string, environment: FranceConnectEnvironment): Promise<void> {
    await this.dataSource.query(LOGIN_ACTIVITY_UPSERT('$1', '$2'), [tenantId, environment]).catch(() => undefined);
  }

  private async newSession(manager: EntityManager, tenantId: string, citizenId: string, fc: SessionFranceConnect, context: PortalRequestContext, path: string): Promise<CallbackOutcome> {
    const { token, absoluteExpiresAt } = await this.sessions.create(manager, { tenantId, citizenId, source: 'franceconnect', franceConnect: fc, userAgent: context.userAgent });
    return { kind: 'session', token, expiresAt: absoluteExpiresAt, path, citizenId };
  }

  private async savePending(manager: EntityManager, tenantId: string, citizenId: string, auth: FranceConnectAuthentication, identity: PivotIdentity, binding: string): Promise<void> {
    const idToken = this.sessions.seal(auth.idToken, tenantId, RECONCILIATION_ID_TOKEN_FIELD);
    await manager.query(
      `INSERT INTO citizen_reconciliation (tenant_id, citizen_id, issuer, sub, identity, binding_hash, fc_authenticated_at, id_token_ciphertext, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (citizen_id) DO UPDATE SET issuer = EXCLUDED.issuer, sub = EXCLUDED.sub, identity = EXCLUDED.identity, binding_hash = EXCLUDED.binding_hash,
         fc_authenticated_at = EXCLUDED.fc_authenticated_at, id_token_ciphertext = EXCLUDED.id_token_ciphertext, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [tenantId, citizenId, auth.issuer, auth.sub, JSON.stringify(identity), binding, auth.authenticatedAt, idToken, new Date(auth.authenticatedAt.getTime() + FRANCECONNECT_SESSION_MS)],
    );
  }
}

function sessionFranceConnect(auth: FranceConnectAuthentication): SessionFranceConnect {
  return {
    issuer: auth.issuer,
    environment: auth.environment,
    sub: auth.sub,
    authenticatedAt: auth.authenticatedAt,
    idToken: auth.idToken,
    accessToken: auth.accessToken,
    accessTokenExpiresAt: auth.accessTokenExpiresAt,
    purpose: auth.purpose,
    scopes: auth.scopes,
  };
}

/**
 * Records a successful FranceConnect login of (tenant, environment) for staff, to the minute: a
 * row written less than a minute ago is left alone, so a town's rush of logins does not queue on
 * one row. `tenant` and `environment` are the SQL placeholders holding them.
 */
const LOGIN_ACTIVITY_UPSERT = (tenant: string, environment: string): string =>
  `INSERT INTO franceconnect_login_activity (tenant_id, environment, last_login_at)
     SELECT ${tenant}::uuid, ${environment}::text, now()
      WHERE NOT EXISTS (SELECT 1 FROM franceconnect_login_activity
                         WHERE tenant_id = ${tenant}::uuid AND environment = ${environment}::text AND last_login_at > now() - interval '1 minute')
   ON CONFLICT (tenant_id, environment) DO UPDATE SET last_login_at = excluded.last_login_at`;
const MAX_SESSION_COOKIE = 200;

const hasPivot = (identity: PivotIdentity): boolean => identity.familyName !== null && identity.birthdate !== null;
