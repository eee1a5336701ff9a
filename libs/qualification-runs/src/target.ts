import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken } from '@fcplat/crypto';
import { FRANCECONNECT_ISSUERS, citizenRobotCookieName, portalUrlOf, type FranceConnectEnvironment } from '@fcplat/domain';
import type { RobotTarget } from '@fcplat/qualification-robot';

/** How long a run's robot pass is valid (longer than a run may last). */
export const ROBOT_PASS_TTL_MS = 15 * 60 * 1000;
/** A robot pass: 32 random bytes in base64url (43 characters). */
export const ROBOT_PASS_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Non-production environments the robot may log in with, preferred first. */
const LOGIN_ENVIRONMENTS = ['integration', 'sandbox', 'custom'] as const satisfies readonly Exclude<FranceConnectEnvironment, 'production'>[];

export interface TargetSettings {
  /** The platform's public URL (portal URLs derive from it). */
  readonly publicUrl: string;
  /** Whether `custom` FranceConnect clients may be used here (ALLOW_CUSTOM_ENDPOINTS). */
  readonly allowCustomEndpoints: boolean;
  readonly testIdentity: string;
}

export interface PreparedTarget {
  readonly target: RobotTarget;
  readonly liveEnvironment: FranceConnectEnvironment | null;
  readonly loginEnvironment: Exclude<FranceConnectEnvironment, 'production'> | null;
}

/**
 * What the robot needs to verify one tenant, read from PostgreSQL: the portal's URL, the modes,
 * the live FranceConnect environment, the client_id recorded per environment (FC-21), and how
 * login checks log in — always with a NON-production client: the live one when it is not
 * production (the portal uses it for everyone), otherwise another environment's stored client
 * named by the run's robot pass (stored hashed; a cookie of the portal in the robot's browser).
 * Without any non-production client, login checks report « non vérifiable ».
 */
export async function prepareTarget(dataSource: DataSource, tenantId: string, runId: string, settings: TargetSettings): Promise<PreparedTarget | null> {
  const [tenant] = (await dataSource.query(
    `SELECT t.slug, t.connexion_enabled, t.data_retrieval_enabled, l.environment AS live
       FROM tenant t LEFT JOIN tenant_live_environment l ON l.tenant_id = t.id AND l.product = 'franceconnect'
      WHERE t.id = $1 AND t.status = 'active'`,
    [tenantId],
  )) as Array<{ slug: string; connexion_enabled: boolean; data_retrieval_enabled: boolean; live: FranceConnectEnvironment | null }>;
  if (!tenant) return null;
  const clients = (await dataSource.query(`SELECT environment, client_id, issuer_url FROM franceconnect_credential WHERE tenant_id = $1`, [tenantId])) as Array<{
    environment: FranceConnectEnvironment;
    client_id: string;
    issuer_url: string | null;
  }>;
  const clientIds: Partial<Record<FranceConnectEnvironment, string>> = {};
  const issuers: Partial<Record<FranceConnectEnvironment, string>> = {};
  for (const client of clients) {
    clientIds[client.environment] = client.client_id;
    const issuer = client.issuer_url ?? FRANCECONNECT_ISSUERS[client.environment as keyof typeof FRANCECONNECT_ISSUERS];
    if (issuer) issuers[client.environment] = issuer;
  }
  const usable = (environment: FranceConnectEnvironment): boolean =>
    clientIds[environment] !== undefined && issuers[environment] !== undefined && (environment !== 'custom' || settings.allowCustomEndpoints);

  let login: RobotTarget['login'] = null;
  let loginEnvironment: PreparedTarget['loginEnvironment'] = null;
  const identity = { login: settings.testIdentity };
  // The run's passes, cookies of the portal: one for every page (the portal's per-IP limits spare
  // the robot) and, when the live client is production, one naming the environment the login
  // journeys use instead (those pages only: the others check the live client).
  const cookieName = citizenRobotCookieName(tenant.slug, settings.publicUrl.startsWith('https:'));
  const newPass = async (environment: Exclude<FranceConnectEnvironment, 'production'> | null): Promise<string> => {
    const pass = randomBytes(32).toString('base64url');
    await dataSource.query(
      `INSERT INTO qualification_robot_pass (token_hash, tenant_id, run_id, environment, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [hashToken(pass), tenantId, runId, environment, ROBOT_PASS_TTL_MS / 1000],
    );
    return pass;
  };
  const pass = await newPass(null);
  if (tenant.live && tenant.live !== 'production' && usable(tenant.live)) {
    loginEnvironment = tenant.live;
    login = { environment: tenant.live, issuer: issuers[tenant.live] as string, loginQuery: {}, identity };
  } else {
    const other = LOGIN_ENVIRONMENTS.find(usable);
    if (other) {
      loginEnvironment = other;
      login = { environment: other, issuer: issuers[other] as string, loginQuery: {}, cookies: { [cookieName]: await newPass(other) }, identity };
    }
  }
  return {
    target: {
      tenantId,
      slug: tenant.slug,
      portalUrl: portalUrlOf(settings.publicUrl, tenant.slug),
      modes: { connexion: tenant.connexion_enabled, dataRetrieval: tenant.data_retrieval_enabled },
      liveEnvironment: tenant.live,
      clientIds,
      portalCookies: { [cookieName]: pass },
      login,
    },
    liveEnvironment: tenant.live,
    loginEnvironment,
  };
}
