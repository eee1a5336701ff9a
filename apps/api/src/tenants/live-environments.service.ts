import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, validationError } from '@fcplat/common';
import type { PlatformConfig } from '@fcplat/config';
import { appendAudit, LiveEnvironmentEntity, type ApiParticulierEnvironment, type FranceConnectEnvironment } from '@fcplat/db';
import {
  API_PARTICULIER_ENVIRONMENTS,
  environmentLabel,
  environmentsOf,
  FRANCECONNECT_ENVIRONMENTS,
  isEnvironmentOf,
  isProductionEnvironment,
  LIVE_ENVIRONMENT_PRODUCT_LABELS,
  liveEnvironmentDecision,
  ONBOARDING_STAGE_LABELS,
  type AnyEnvironment,
  type LiveEnvironmentProduct,
  type OnboardingStage,
} from '@fcplat/domain';
import { probeFranceConnectClient } from '@fcplat/franceconnect';
import { requestRobotRunAfterChange } from '@fcplat/qualification-runs';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { TenantCredentialsService, type CredentialsAssessment } from './tenant-credentials.service.js';
import type { EnvironmentOptionView, EnvironmentsView, LiveCheckView, LiveChoiceView, ProductEnvironmentsView } from '@fcplat/contract';
import { TenantsService } from './tenants.service.js';

export interface ChooseEnvironmentInput {
  readonly environment: string;
  readonly reason?: string | undefined;
  readonly version?: number | undefined;
}

/**
 * The live environment of each tenant's FranceConnect and API Particulier, chosen by staff under
 * the domain rule (libs/domain/src/environments.ts), recorded with who, when and why, audited.
 * Storing or replacing credentials never changes it; the credentials of the live environment
 * cannot be revoked.
 */
@Injectable()
export class LiveEnvironmentsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tenants: TenantsService,
    private readonly credentials: TenantCredentialsService,
  ) {}

  async view(actor: Actor, tenantId: string): Promise<EnvironmentsView> {
    await this.tenants.requireTenant(actor, tenantId);
    return this.viewOf(this.dataSource.manager, tenantId);
  }

  /** Makes `input.environment` the live environment of `product`, if the domain rule allows it (409/400 otherwise). */
  async choose(actor: Actor, tenantId: string, product: LiveEnvironmentProduct, input: ChooseEnvironmentInput, requestId: string | null): Promise<ProductEnvironmentsView> {
    await this.tenants.requireTenant(actor, tenantId);
    if (!isEnvironmentOf(product, input.environment)) {
      throw validationError([{ path: 'environment', message: `valeurs possibles : ${environmentsOf(product).join(', ')}` }]);
    }
    const to = input.environment;
    return this.dataSource.transaction(async (manager) => {
      // The case's stage and the target's credentials cannot change under the decision: the
      // credential row is read FOR SHARE by the assessment (a revocation waits), the case FOR SHARE here.
      const current = await manager.getRepository(LiveEnvironmentEntity).findOne({ where: { tenantId, product }, lock: { mode: 'pessimistic_write' } });
      if (current && input.version !== undefined && current.version !== input.version) {
        throw new AppError('CONFLICT', {
          detail: `L’environnement en service a été modifié entre-temps (version actuelle : ${current.version}) : rechargez la page puis recommencez.`,
          extensions: { currentVersion: current.version },
        });
      }
      const stage = await this.stageOf(manager, tenantId, true);
      const assessment = await this.assess(manager, tenantId, product, to, true);
      const decision = liveEnvironmentDecision({
        product,
        from: current?.environment ?? null,
        to,
        stage,
        credentials: assessment.condition,
        reason: input.reason,
        customAllowed: this.config.features.allowCustomEndpoints,
      });
      if (!decision.ok) {
        if (decision.code === 'reason_required') throw validationError([{ path: 'reason', message: decision.message }]);
        throw new AppError('CONFLICT', {
          detail: assessment.problem && decision.code === 'credentials_unusable' ? `${decision.message} ${assessment.problem}` : decision.message,
          extensions: { reasons: [{ code: decision.code, message: decision.message }] },
        });
      }
      const reason = input.reason?.trim() ? input.reason.trim() : null;
      const chosenBy = actor.userId;
      await manager.query(
        `INSERT INTO tenant_live_environment (tenant_id, product, environment, chosen_at, chosen_by, reason, version)
         VALUES ($1, $2, $3, now(), $4, $5, 1)
         ON CONFLICT (tenant_id, product) DO UPDATE
           SET environment = excluded.environment, chosen_at = now(), chosen_by = excluded.chosen_by, reason = excluded.reason, version = tenant_live_environment.version + 1`,
        [tenantId, product, to, chosenBy, reason],
      );
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: 'tenant.live_environment.changed',
        target: { type: 'tenant_live_environment', id: `${tenantId}:${product}` },
        changes: { product, environment: { before: current?.environment ?? null, after: to }, ...(reason ? { reason } : {}) },
        requestId,
      });
      if (product === 'franceconnect') await requestRobotRunAfterChange(manager, tenantId, `Environnement FranceConnect en service : ${environmentLabel(product, to)}`);
      return this.productView(manager, tenantId, product, stage);
    });
  }

  /** The live environment of `product` for platform code (no access check), or null when none is chosen. */
  async liveOf(tenantId: string, product: LiveEnvironmentProduct, manager: EntityManager = this.dataSource.manager): Promise<AnyEnvironment | null> {
    const [row] = (await manager.query(`SELECT environment FROM tenant_live_environment WHERE tenant_id = $1 AND product = $2`, [tenantId, product])) as {
      environment: AnyEnvironment;
    }[];
    return row?.environment ?? null;
  }

  /**
   * What the portal and the console alert need: the live FranceConnect environment and whether it
   * can be used now (credentials stored, readable, well-formed, allowed here).
   */
  async franceConnectStatus(tenantId: string): Promise<{ environment: FranceConnectEnvironment | null; usable: boolean; problem: string | null }> {
    const environment = (await this.liveOf(tenantId, 'franceconnect')) as FranceConnectEnvironment | null;
    if (!environment) return { environment, usable: false, problem: NO_LIVE.franceconnect };
    const assessment = await this.credentials.franceConnectAssessment(tenantId, environment);
    return { environment, usable: assessment.condition === 'usable', problem: assessment.problem };
  }

  /**
   * « Tester la configuration »: checks the live FranceConnect environment from here, with the
   * tenant's client (discovery, JWKS, client_id known with its redirect URI, secret accepted), and
   * says so in French. Nothing is stored but an audit line (verdict only).
   */
  async checkFranceConnect(actor: Actor, tenantId: string, requestId: string | null): Promise<LiveCheckView> {
    const tenant = await this.tenants.requireTenant(actor, tenantId);
    const environment = (await this.liveOf(tenantId, 'franceconnect')) as FranceConnectEnvironment | null;
    if (!environment) throw new AppError('CONFLICT', { detail: NO_LIVE.franceconnect });
    const label = environmentLabel('franceconnect', environment);
    const checkedAt = new Date().toISOString();
    const assessment = await this.credentials.franceConnectAssessment(tenantId, environment);
    let report: LiveCheckView;
    const client = assessment.condition === 'usable' ? await this.credentials.franceConnectClient(tenantId, environment) : null;
    if (!client) {
      const detail = assessment.problem ?? 'Identifiants absents.';
      report = {
        environment,
        label,
        ok: false,
        summary: `Échec : ${detail}`,
        checkedAt,
        steps: [{ step: 'credentials', status: 'failed', detail, durationMs: null }, ...PROBE_STEPS.map((step) => ({ step, status: 'skipped' as const, detail: 'Non vérifié.', durationMs: null }))],
      };
    } else {
      const probe = await probeFranceConnectClient({
        issuer: client.issuerUrl,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: `${this.config.http.publicUrl}/t/${tenant.slug}/auth/franceconnect/callback`,
      });
      report = {
        environment,
        label,
        ok: probe.ok,
        summary: probe.summary,
        checkedAt,
        steps: [{ step: 'credentials', status: 'ok', detail: 'Identifiants enregistrés, lisibles et au bon format.', durationMs: null }, ...probe.steps],
      };
    }
    await appendAudit(this.dataSource.manager, {
      actor: auditActorOf(actor),
      tenantId,
      action: 'tenant.live_environment.checked',
      target: { type: 'tenant_live_environment', id: `${tenantId}:franceconnect` },
      changes: { product: 'franceconnect', environment, ok: report.ok, failed: report.steps.filter((s) => s.status === 'failed').map((s) => s.step) },
      requestId,
    });
    return report;
  }

  // ---- internals ----

  private async viewOf(manager: EntityManager, tenantId: string): Promise<EnvironmentsView> {
    const stage = await this.stageOf(manager, tenantId, false);
    return {
      stage,
      stageLabel: ONBOARDING_STAGE_LABELS[stage],
      franceconnect: await this.productView(manager, tenantId, 'franceconnect', stage),
      apiParticulier: await this.productView(manager, tenantId, 'api_particulier', stage),
    };
  }

  private async productView(manager: EntityManager, tenantId: string, product: LiveEnvironmentProduct, stage: OnboardingStage): Promise<ProductEnvironmentsView> {
    const [row] = (await manager.query(
      `SELECT l.environment, l.chosen_at, l.chosen_by, u.display_name, l.reason, l.version
         FROM tenant_live_environment l LEFT JOIN app_user u ON u.id = l.chosen_by
        WHERE l.tenant_id = $1 AND l.product = $2`,
      [tenantId, product],
    )) as { environment: AnyEnvironment; chosen_at: Date; chosen_by: string | null; display_name: string | null; reason: string | null; version: number }[];
    const environments = product === 'franceconnect' ? FRANCECONNECT_ENVIRONMENTS : API_PARTICULIER_ENVIRONMENTS;
    const lastSuccess = await this.lastSuccesses(manager, tenantId, product, environments);
    const options: EnvironmentOptionView[] = [];
    let liveAssessment: CredentialsAssessment | null = null;
    for (const environment of environments) {
      const assessment = await this.assess(manager, tenantId, product, environment, false);
      if (environment === row?.environment) liveAssessment = assessment;
      const decision = liveEnvironmentDecision({
        product,
        from: row?.environment ?? null,
        to: environment,
        stage,
        credentials: assessment.condition,
        reason: null,
        customAllowed: this.config.features.allowCustomEndpoints,
      });
      const reasonRequired = !decision.ok && decision.code === 'reason_required';
      options.push({
        environment,
        label: environmentLabel(product, environment),
        production: isProductionEnvironment(environment),
        live: environment === row?.environment,
        credentials: assessment.condition,
        problem: assessment.problem,
        standIn: assessment.standIn,
        lastSuccessAt: lastSuccess.get(environment)?.toISOString() ?? null,
        switch: {
          allowed: decision.ok || reasonRequired,
          code: decision.ok || reasonRequired ? null : decision.code,
          message: decision.ok || reasonRequired ? null : decision.message,
          reasonRequired,
        },
      });
    }
    const live: LiveChoiceView | null = row
      ? {
          environment: row.environment,
          label: environmentLabel(product, row.environment),
          production: isProductionEnvironment(row.environment),
          chosenAt: new Date(row.chosen_at).toISOString(),
          chosenBy: row.chosen_by ? { id: row.chosen_by, name: row.display_name ?? '' } : null,
          reason: row.reason,
          version: row.version,
        }
      : null;
    const usable = liveAssessment?.condition === 'usable';
    const problem = !row
      ? NO_LIVE[product]
      : usable
        ? null
        : `L’environnement en service (« ${environmentLabel(product, row.environment)} ») n’est pas utilisable : ${liveAssessment?.problem ?? 'identifiants absents.'}`;
    return { product, live, usable, problem, environments: options };
  }

  private assess(manager: EntityManager, tenantId: string, product: LiveEnvironmentProduct, environment: AnyEnvironment, lock: boolean): Promise<CredentialsAssessment> {
    return product === 'franceconnect'
      ? this.credentials.franceConnectAssessment(tenantId, environment as FranceConnectEnvironment, manager, lock)
      : this.credentials.apiParticulierAssessment(tenantId, environment as ApiParticulierEnvironment, manager, lock);
  }

  private async stageOf(manager: EntityManager, tenantId: string, lock: boolean): Promise<OnboardingStage> {
    const [row] = (await manager.query(`SELECT stage FROM onboarding_case WHERE tenant_id = $1${lock ? ' FOR SHARE' : ''}`, [tenantId])) as { stage: OnboardingStage }[];
    return row?.stage ?? 'created';
  }

  private async lastSuccesses(manager: EntityManager, tenantId: string, product: LiveEnvironmentProduct, environments: readonly string[]): Promise<Map<string, Date>> {
    const rows = (
      product === 'franceconnect'
        ? await manager.query(`SELECT environment, last_login_at AS at FROM franceconnect_login_activity WHERE tenant_id = $1`, [tenantId])
        : await manager.query(
            `SELECT e.environment,
                    (SELECT c.finished_at FROM api_particulier_call c
                      WHERE c.tenant_id = $1 AND c.environment = e.environment AND c.status = 'succeeded'
                      ORDER BY c.finished_at DESC LIMIT 1) AS at
               FROM unnest($2::text[]) AS e(environment)`,
            [tenantId, environments],
          )
    ) as { environment: string; at: Date | null }[];
    return new Map(rows.filter((r) => r.at !== null).map((r) => [r.environment, new Date(r.at as Date)]));
  }
}

const PROBE_STEPS = ['discovery', 'jwks', 'client_id', 'client_secret'] as const;

const NO_LIVE: Readonly<Record<LiveEnvironmentProduct, string>> = {
  franceconnect: `Aucun environnement ${LIVE_ENVIRONMENT_PRODUCT_LABELS.franceconnect} n’est choisi : le portail ne propose pas encore la connexion avec FranceConnect.`,
  api_particulier: `Aucun environnement ${LIVE_ENVIRONMENT_PRODUCT_LABELS.api_particulier} n’est choisi : aucun appel ne peut être fait.`,
};
