/**
 * The citizen side of API Particulier: right after FranceConnect's token exchange and the
 * citizen's confirmation, one call per API the tenant may call with FranceConnect, through the
 * queue like every other call (rate limits, fairness, traceability), waited for up to
 * API_PARTICULIER_CITIZEN_DEADLINE_MS. What the citizen sees: the useful values (e.g. the quotient
 * familial, its month and provider) and what the tenant uses them for — never the raw answer.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { describeSummary } from '@fcplat/api-particulier';
import { FINAL_STATUSES, type ApiParticulierRuntime, type CallRecord } from '@fcplat/api-particulier-calls';
import { AppError } from '@fcplat/common';
import type { RetrievedData } from '@fcplat/contract';
import type { PlatformConfig } from '@fcplat/config';
import { API_PARTICULIER_CATALOGUE, isApiParticulierScope, type ApiParticulierApi } from '@fcplat/domain';
import { errorLabel } from '../api-particulier/api-particulier.service.js';
import { API_PARTICULIER_RUNTIME, DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import type { FranceConnectEnvironment } from '@fcplat/domain';
import type { CitizenContext } from './citizen-session.guard.js';
import type { CitizenSessionsService } from './citizen-sessions.service.js';

/** What each API's data is used for, as the portal says it (FC-08 D: the citizen knows why). */
export const DATA_USAGES: Readonly<Record<ApiParticulierApi, string>> = {
  quotient_familial: 'Calculer vos tarifs (restauration scolaire, accueil périscolaire, activités) sans attestation CAF ou MSA à fournir.',
  statut_etudiant: 'Vérifier votre inscription dans l’enseignement supérieur pour appliquer le tarif étudiant.',
  statut_etudiant_boursier: 'Vérifier votre statut de boursier pour appliquer les tarifs et aides qui y sont liés.',
  complementaire_sante_solidaire: 'Vérifier vos droits à la complémentaire santé solidaire pour appliquer les tarifs sociaux.',
};

export type { RetrievedData };

interface FranceConnectToken {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
}

/** A FranceConnect token with less life than this is not used for a new call. */
const TOKEN_MARGIN_MS = 3_000;
/** Results of a retrieval shown back to the citizen for this long. */
const RESULTS_WINDOW_MINUTES = 30;

@Injectable()
export class DataRetrievalService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(API_PARTICULIER_RUNTIME) private readonly runtime: ApiParticulierRuntime,
  ) {}

  /**
   * Whether the session holds a FranceConnect access token worth a call: a data retrieval's, or a
   * login's that was granted data scopes (the tenant retrieves at login), still alive (60 s).
   */
  hasUsableToken(context: CitizenContext): boolean {
    return this.tokenState(context) === 'usable';
  }

  /**
   * What the session says of its data token: `used` once a retrieval took it (the token is removed
   * then, the time of use kept), `expired` past its minute (less a margin) or never received.
   */
  private tokenState(context: CitizenContext): 'usable' | 'used' | 'expired' | 'none' {
    const expires = context.session.fcAccessTokenExpiresAt;
    const forData = context.session.fcPurpose === 'data_retrieval' || context.session.fcScopes.some(isApiParticulierScope);
    if (!forData) return 'none';
    if (context.session.fcAccessTokenUsedAt !== null) return 'used';
    if (expires === null) return 'expired';
    return expires.getTime() - Date.now() > TOKEN_MARGIN_MS ? 'usable' : 'expired';
  }

  async retrieve(context: CitizenContext, sessions: CitizenSessionsService): Promise<RetrievedData[]> {
    const expiresAt = context.session.fcAccessTokenExpiresAt;
    // One retrieval per FranceConnect token: taken from the session (a second one needs FranceConnect again).
    const state = this.tokenState(context);
    const token = state === 'usable' ? await sessions.takeAccessToken(context.session) : null;
    if (!token || !expiresAt) {
      // A usable token that could not be taken was taken by a concurrent confirmation: used, not expired.
      throw new AppError('FORBIDDEN', {
        detail:
          state === 'usable' || state === 'used'
            ? 'Cette autorisation FranceConnect a déjà servi à récupérer vos données : reconnectez-vous avec FranceConnect pour les récupérer à nouveau.'
            : 'Pour votre sécurité, l’autorisation donnée par FranceConnect n’est valable qu’une minute et elle a expiré : reconnectez-vous avec FranceConnect pour récupérer vos données.',
        extensions: { redirect: `/t/${context.tenant.slug}/auth/franceconnect/login?purpose=data_retrieval` },
      });
    }
    const ids = await this.start(context.tenant.id, context.session.citizenId, { accessToken: token, accessTokenExpiresAt: expiresAt, environment: context.session.fcEnvironment });
    const records = await this.runtime.service.waitForEnd(ids, this.config.apiParticulier.citizenDeadlineMs);
    return Promise.all(records.map((r) => this.view(r)));
  }

  /** Login-time retrieval: the calls are queued now, with the token of the login that just happened; nobody waits here. */
  async startAtLogin(tenantId: string, citizenId: string, auth: FranceConnectToken & { environment: FranceConnectEnvironment }): Promise<void> {
    await this.start(tenantId, citizenId, auth);
  }

  /**
   * One FranceConnect-modality call per API the tenant may call that way, queued now.
   * `environment`: of the FranceConnect login that gave the token (the token means something there only).
   */
  private start(tenantId: string, citizenId: string, token: FranceConnectToken & { environment: FranceConnectEnvironment | null }): Promise<string[]> {
    if (!token.environment) throw new AppError('FORBIDDEN', { detail: 'Reconnectez-vous avec FranceConnect pour récupérer vos données.' });
    return this.runtime.service.startFranceConnectRetrieval({
      tenantId,
      citizenId,
      accessToken: token.accessToken,
      accessTokenExpiresAt: token.accessTokenExpiresAt,
      franceConnectEnvironment: token.environment,
    });
  }

  /**
   * The citizen's latest retrieval of each API within the last 30 minutes. `wait`: calls still
   * under way are waited for, up to API_PARTICULIER_CITIZEN_DEADLINE_MS after they were queued
   * (the deadline runs from the login, not from each look).
   */
  async latest(context: CitizenContext, wait = false): Promise<RetrievedData[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (api) id FROM api_particulier_call
        WHERE tenant_id = $1 AND origin = 'citizen' AND triggered_by = $2 AND queued_at > now() - make_interval(mins => $3)
        ORDER BY api, queued_at DESC`,
      [context.tenant.id, `citizen:${context.session.citizenId}`, RESULTS_WINDOW_MINUTES],
    )) as { id: string }[];
    let records = await this.runtime.ledger.records(rows.map((r) => r.id));
    const pending = records.filter((r) => !FINAL_STATUSES.includes(r.status));
    if (wait && pending.length > 0) {
      const deadline = Math.max(...pending.map((r) => r.queuedAt.getTime())) + this.config.apiParticulier.citizenDeadlineMs;
      const remaining = Math.min(deadline - Date.now(), this.config.apiParticulier.citizenDeadlineMs);
      if (remaining > 0) {
        const waited = new Map((await this.runtime.service.waitForEnd(pending.map((r) => r.id), remaining)).map((r) => [r.id, r]));
        records = records.map((r) => waited.get(r.id) ?? r);
      }
    }
    return Promise.all(records.map((r) => this.view(r)));
  }

  private async view(record: CallRecord): Promise<RetrievedData> {
    const info = API_PARTICULIER_CATALOGUE[record.api];
    const base = { api: record.api, label: info.label, provider: info.provider, usage: DATA_USAGES[record.api] };
    if (record.status === 'succeeded') {
      const summary = await this.runtime.ledger.result(record.tenantId, record.id);
      return { ...base, status: 'succeeded', summary, description: summary ? describeSummary(summary) : null, message: null, retrievedAt: record.finishedAt?.toISOString() ?? null };
    }
    if (record.status === 'failed') {
      return { ...base, status: 'failed', summary: null, description: null, message: citizenMessage(record.errorCode), retrievedAt: record.finishedAt?.toISOString() ?? null };
    }
    return {
      ...base,
      status: 'pending',
      summary: null,
      description: null,
      message: 'La réponse n’est pas encore arrivée : elle s’affichera ici dès qu’elle sera disponible. Vous pouvez actualiser dans quelques instants.',
      retrievedAt: null,
    };
  }
}

function citizenMessage(code: string | null): string {
  switch (code) {
    case 'APIP_NOT_FOUND':
      return 'L’administration ne trouve pas de dossier à votre nom : vous pouvez fournir un justificatif par les moyens habituels.';
    case 'FRANCECONNECT_TOKEN_EXPIRED':
    case 'APIP_FRANCECONNECT_TOKEN_REFUSED':
      return 'L’autorisation FranceConnect a expiré avant la réponse : relancez la récupération avec FranceConnect.';
    default:
      return `Le service est momentanément indisponible (${errorLabel(code) ?? 'erreur inconnue'}). Réessayez plus tard ou fournissez un justificatif.`;
  }
}
