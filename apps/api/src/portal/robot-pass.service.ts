import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { hashToken } from '@fcplat/crypto';
import { citizenRobotCookieName, type FranceConnectEnvironment } from '@fcplat/domain';
import { cookieValue } from '../auth/auth.service.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { CitizenSessionsService } from './citizen-sessions.service.js';

/** A robot pass as the robot's browser presents it: 43 characters of base64url (256 bits). */
export const ROBOT_PASS_PATTERN = /^[A-Za-z0-9_-]{43}$/;

interface PortalOfPass {
  readonly id: string;
  readonly slug: string;
}

/**
 * The qualification robot's way in (docs/qualification-robot.md, "Which FranceConnect client"):
 * the worker stores a one-time pass (`qualification_robot_pass`, a NON-production environment of
 * the tenant, minutes of validity); the robot's browser presents it on the portal's login route
 * (`?robot=<pass>`); the pass is then bound to that browser's binding, and every FranceConnect
 * step of that browser (callback, logout, its return) uses that environment's client. Citizens
 * never carry the hint cookie, so their flows cost no extra statement and always use the live
 * environment. The pass lives in PostgreSQL, so any replica honours it.
 */
@Injectable()
export class RobotPassService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly sessions: CitizenSessionsService,
  ) {}

  /**
   * Binds `pass` to this browser (first use) and returns its environment; null when the pass is
   * unknown, expired, of another tenant or already bound to another browser.
   */
  async claim(tenant: PortalOfPass, pass: string, binding: string, res: Response): Promise<FranceConnectEnvironment | null> {
    if (!ROBOT_PASS_PATTERN.test(pass)) return null;
    const rows = (await this.dataSource.query(
      `UPDATE qualification_robot_pass SET binding_hash = $3
        WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > now() AND (binding_hash IS NULL OR binding_hash = $3)
        RETURNING environment, expires_at`,
      [hashToken(pass), tenant.id, binding],
    )) as [Array<{ environment: FranceConnectEnvironment; expires_at: Date }>, number];
    const row = rows[0]?.[0];
    if (!row) return null;
    res.cookie(citizenRobotCookieName(tenant.slug, this.sessions.secureCookies()), '1', { ...this.sessions.cookieOptions(), expires: row.expires_at });
    return row.environment;
  }

  /** The environment a robot pass bound to this browser asks for, or null (always null without the hint cookie). */
  async environmentOf(req: Request, tenant: PortalOfPass, binding: string | null): Promise<FranceConnectEnvironment | null> {
    if (!binding || cookieValue(req.headers, citizenRobotCookieName(tenant.slug, this.sessions.secureCookies())) !== '1') return null;
    const rows = (await this.dataSource.query(
      `SELECT environment FROM qualification_robot_pass
        WHERE tenant_id = $1 AND binding_hash = $2 AND expires_at > now() ORDER BY created_at DESC LIMIT 1`,
      [tenant.id, binding],
    )) as Array<{ environment: FranceConnectEnvironment }>;
    return rows[0]?.environment ?? null;
  }
}
