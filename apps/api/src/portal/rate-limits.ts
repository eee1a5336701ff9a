import { Injectable } from '@nestjs/common';
import { AppError } from '@fcplat/common';
import { AttemptLimiter, type LimitRule } from '../accounts/rate-limiter.js';

/**
 * Budgets of the portal's unauthenticated entry points (SR-12), per client IP and per tenant.
 *
 * In-process, like the console's counters (accounts/rate-limiter.ts): with N API instances a
 * source gets N times these budgets, which is acceptable for their purpose (slowing down one
 * source, or a flood aimed at one tenant); they reset when the process restarts. The per-tenant
 * budgets are generous so that an attacker cannot cheaply lock a whole town out of its portal:
 * for password logins they count failures only.
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
  private readonly limiter: AttemptLimiter;
  private limits: PortalLimits = DEFAULT_PORTAL_LIMITS;

  constructor() {
    this.limiter = new AttemptLimiter();
  }

  /** Replaces some budgets (tests lower them to reach the limits quickly; operators could raise them). */
  configure(limits: Partial<PortalLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /** Before a password check: refuses when the IP, the (IP, tenant, e-mail) or the tenant has used its budget; counts the attempt for the IP. */
  beforeLogin(tenantId: string, ip: string, email: string): void {
    this.refuseIfBlocked(`login:ip:${ip}`, this.limits.loginPerIp, TOO_MANY_FROM_IP);
    this.refuseIfBlocked(this.accountKey(tenantId, ip, email), this.limits.loginFailuresPerIpAndEmail, TOO_MANY_FOR_ACCOUNT);
    this.refuseIfBlocked(`login-failures:tenant:${tenantId}`, this.limits.loginFailuresPerTenant, TOO_MANY_FOR_PORTAL);
    this.limiter.hit(`login:ip:${ip}`, this.limits.loginPerIp);
  }

  loginFailed(tenantId: string, ip: string, email: string): void {
    this.limiter.hit(this.accountKey(tenantId, ip, email), this.limits.loginFailuresPerIpAndEmail);
    this.limiter.hit(`login-failures:tenant:${tenantId}`, this.limits.loginFailuresPerTenant);
  }

  loginSucceeded(tenantId: string, ip: string, email: string): void {
    this.limiter.reset(this.accountKey(tenantId, ip, email));
  }

  /** Counts a sign-up attempt, refusing it beyond the IP's or the tenant's budget. */
  signup(tenantId: string, ip: string): void {
    this.consume(`signup:ip:${ip}`, this.limits.signupPerIp, TOO_MANY_FROM_IP);
    this.consume(`signup:tenant:${tenantId}`, this.limits.signupPerTenant, TOO_MANY_FOR_PORTAL);
  }

  /**
   * Counts a FranceConnect start or callback, refusing it beyond the IP's or the tenant's budget.
   * `ip` null: the qualification robot, recognised by its pass (RobotPassService.isRobot), which
   * verifies hundreds of portals from one address; only the tenant's budget applies.
   */
  franceConnect(tenantId: string, ip: string | null): void {
    if (ip !== null) this.consume(`fc:ip:${ip}`, this.limits.franceConnectPerIp, TOO_MANY_FROM_IP);
    this.consume(`fc:tenant:${tenantId}`, this.limits.franceConnectPerTenant, TOO_MANY_FOR_PORTAL);
  }

  private accountKey(tenantId: string, ip: string, email: string): string {
    return `login-failures:account:${tenantId}:${ip}:${email}`;
  }

  private consume(key: string, rule: LimitRule, message: string): void {
    this.refuseIfBlocked(key, rule, message);
    this.limiter.hit(key, rule);
  }

  private refuseIfBlocked(key: string, rule: LimitRule, message: string): void {
    const wait = this.limiter.blockedFor(key, rule);
    if (wait !== null) throw rateLimited(message, wait);
  }
}
