import { Injectable } from '@nestjs/common';
import { AppError } from '@fcplat/common';
import { LimitStore, type LimitRule, type SharedCounters } from '../infrastructure/shared-limits.js';

/**
 * Budgets of the portal's unauthenticated entry points (SR-12), per client IP and per tenant.
 *
 * Counted in the store shared by every API replica (infrastructure/shared-limits.ts: Redis, or
 * PostgreSQL in embedded mode), atomically: a source gets these budgets once whatever the number
 * of replicas, a deploy does not reset them, and a flood of keys cannot evict a live counter.
 * When the store does not answer, the routes fail closed (503, or the `erreur_technique` notice
 * on the FranceConnect routes). The per-tenant budgets are generous so that an attacker cannot
 * cheaply lock a whole town out of its portal: for password logins they count failures only.
 */
export interface PortalLimits {
  /** Password logins from one IP, on any tenant. */
  readonly loginPerIp: LimitRule;
  /** Failed password logins from one IP for one e-mail on one tenant. */
  readonly loginFailuresPerIpAndEmail: LimitRule;
  /** Failed password logins on one tenant, from anywhere. */
  readonly loginFailuresPerTenant: LimitRule;
  readonly signupPerIp: LimitRule;
  readonly signupPerTenant: LimitRule;
  /** FranceConnect starts and callbacks from one IP (each counted). */
  readonly franceConnectPerIp: LimitRule;
  /** FranceConnect starts and callbacks on one tenant. */
  readonly franceConnectPerTenant: LimitRule;
}

const MINUTE = 60_000;

export const DEFAULT_PORTAL_LIMITS: PortalLimits = {
  loginPerIp: { max: 100, windowMs: 15 * MINUTE },
  loginFailuresPerIpAndEmail: { max: 10, windowMs: 15 * MINUTE },
  loginFailuresPerTenant: { max: 1_000, windowMs: 15 * MINUTE },
  signupPerIp: { max: 20, windowMs: 60 * MINUTE },
  signupPerTenant: { max: 1_000, windowMs: 60 * MINUTE },
  franceConnectPerIp: { max: 120, windowMs: 5 * MINUTE },
  franceConnectPerTenant: { max: 5_000, windowMs: 5 * MINUTE },
};

const TOO_MANY_FROM_IP = 'Trop de tentatives depuis votre adresse. Réessayez dans quelques minutes.';
const TOO_MANY_FOR_ACCOUNT = 'Trop de tentatives de connexion infructueuses pour cette adresse e-mail. Réessayez dans 15 minutes.';
const TOO_MANY_FOR_PORTAL = 'Ce portail reçoit trop de tentatives en ce moment. Réessayez dans quelques minutes.';

function rateLimited(detail: string, retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', { detail, extensions: { retryAfterSeconds } });
}

@Injectable()
export class PortalRateLimiter {
  private readonly counters: SharedCounters;
  private limits: PortalLimits = DEFAULT_PORTAL_LIMITS;

  constructor(store: LimitStore) {
    this.counters = store.counters('portal');
  }

  /**
   * Replaces some budgets of this replica (tests lower them to reach the limits quickly; operators
   * could raise them). The counts are shared; the budgets are each replica's configuration.
   */
  configure(limits: Partial<PortalLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /**
   * Before a password check: refuses when the IP, the (IP, tenant, e-mail) or the tenant has used
   * its budget; then counts the attempt for the IP (atomically: concurrent attempts on several
   * replicas cannot share the last unit of the budget).
   */
  async beforeLogin(tenantId: string, ip: string, email: string): Promise<void> {
    const limits = this.limits;
    const ipKey = `login:ip:${ip}`;
    const [ipWait, accountWait, tenantWait] = await Promise.all([
      this.counters.blockedFor(ipKey, limits.loginPerIp),
      this.counters.blockedFor(this.accountKey(tenantId, ip, email), limits.loginFailuresPerIpAndEmail),
      this.counters.blockedFor(`login-failures:tenant:${tenantId}`, limits.loginFailuresPerTenant),
    ]);
    if (ipWait !== null) throw rateLimited(TOO_MANY_FROM_IP, ipWait);
    if (accountWait !== null) throw rateLimited(TOO_MANY_FOR_ACCOUNT, accountWait);
    if (tenantWait !== null) throw rateLimited(TOO_MANY_FOR_PORTAL, tenantWait);
    await this.consume(ipKey, limits.loginPerIp, TOO_MANY_FROM_IP);
  }

  async loginFailed(tenantId: string, ip: string, email: string): Promise<void> {
    await Promise.all([
      this.counters.hit(this.accountKey(tenantId, ip, email), this.limits.loginFailuresPerIpAndEmail),
      this.counters.hit(`login-failures:tenant:${tenantId}`, this.limits.loginFailuresPerTenant),
    ]);
  }

  /** Forgets the (IP, tenant, e-mail) failures. Best effort: they expire with their window anyway. */
  async loginSucceeded(tenantId: string, ip: string, email: string): Promise<void> {
    await this.counters.reset(this.accountKey(tenantId, ip, email), this.limits.loginFailuresPerIpAndEmail).catch(() => undefined);
  }

  /** Counts a sign-up attempt, refusing it beyond the IP's or the tenant's budget. */
  async signup(tenantId: string, ip: string): Promise<void> {
    await this.consumeInOrder([
      { key: `signup:ip:${ip}`, rule: this.limits.signupPerIp, message: TOO_MANY_FROM_IP },
      { key: `signup:tenant:${tenantId}`, rule: this.limits.signupPerTenant, message: TOO_MANY_FOR_PORTAL },
    ]);
  }

  /**
   * Counts a FranceConnect start or callback, refusing it beyond the IP's or the tenant's budget.
   * `ip` null: the qualification robot, recognised by its pass (RobotPassService.isRobot), which
   * verifies hundreds of portals from one address; only the tenant's budget applies.
   */
  async franceConnect(tenantId: string, ip: string | null): Promise<void> {
    const tenant = { key: `fc:tenant:${tenantId}`, rule: this.limits.franceConnectPerTenant, message: TOO_MANY_FOR_PORTAL };
    await this.consumeInOrder(ip === null ? [tenant] : [{ key: `fc:ip:${ip}`, rule: this.limits.franceConnectPerIp, message: TOO_MANY_FROM_IP }, tenant]);
  }

  private accountKey(tenantId: string, ip: string, email: string): string {
    return `login-failures:account:${tenantId}:${ip}:${email}`;
  }

  /**
   * Counts the attempt on each counter in order, in one round trip to the store (these routes are
   * hot: a FranceConnect login passes two of them); the first counter beyond its budget refuses it
   * with its message, and the counters after it are not used (a refused IP does not spend the
   * tenant's budget).
   */
  private async consumeInOrder(counters: ReadonlyArray<{ readonly key: string; readonly rule: LimitRule; readonly message: string }>): Promise<void> {
    const refused = await this.counters.consumeInOrder(counters);
    const refusing = refused ? counters[refused.index] : undefined;
    if (refused && refusing) throw rateLimited(refusing.message, refused.wait);
  }

  private async consume(key: string, rule: LimitRule, message: string): Promise<void> {
    const wait = await this.counters.consume(key, rule);
    if (wait !== null) throw rateLimited(message, wait);
  }
}
