import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { hashToken } from '@fcplat/crypto';
import { citizenRobotCookieName, type FranceConnectEnvironment } from '@fcplat/domain';
import { ROBOT_PASS_PATTERN } from '@fcplat/qualification-runs';
import { cookieValue } from '../auth/auth.service.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { CitizenSessionsService } from './citizen-sessions.service.js';

interface PortalOfPass {
  readonly id: string;
  readonly slug: string;
}

/** What a valid robot pass says of the browser that carries it. */
export interface RobotPass {
  /** The non-production environment whose client its FranceConnect flows use, or null: the live one. */
  readonly environment: FranceConnectEnvironment | null;
}

const NOT_A_ROBOT = Symbol('not a robot');

/**
 * The qualification robot's way in (docs/qualification-robot.md, "Which FranceConnect client").
 * For each run the worker stores a pass (`qualification_robot_pass`: SHA-256 of 256 random bits,
 * the tenant, minutes of validity) and puts it in a cookie of this tenant's portal in the robot's
 * browser — never in a URL, never sent to FranceConnect. With a valid pass:
 * - the portal's per-IP budgets of the FranceConnect routes spare the robot, which verifies
 *   hundreds of portals from one address (the per-tenant budget still applies);
 * - when the tenant is live in production, the pass names a NON-production environment (the
 *   table's CHECK refuses production) and every FranceConnect step of that browser (login,
 *   callback, logout, its return) uses that environment's client, so the robot logs in with a
 *   test identity.
 * Citizens carry no such cookie: their flows cost no extra statement and always use the live
 * environment. The pass lives in PostgreSQL, so any replica honours it.
 */
@Injectable()
export class RobotPassService {
  /** One lookup per request, whatever the number of questions. */
  private readonly seen = new WeakMap<Request, RobotPass | typeof NOT_A_ROBOT>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly sessions: CitizenSessionsService,
  ) {}

  /** The robot pass this request carries for this tenant, or null (no cookie, unknown, expired, another tenant's). */
  async passOf(req: Request, tenant: PortalOfPass): Promise<RobotPass | null> {
    const known = this.seen.get(req);
    if (known !== undefined) return known === NOT_A_ROBOT ? null : known;
    const pass = cookieValue(req.headers, citizenRobotCookieName(tenant.slug, this.sessions.secureCookies()));
    let found: RobotPass | null = null;
    if (pass && ROBOT_PASS_PATTERN.test(pass)) {
      const rows = (await this.dataSource.query(`SELECT environment FROM qualification_robot_pass WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > now()`, [
        hashToken(pass),
        tenant.id,
      ])) as Array<{ environment: FranceConnectEnvironment | null }>;
      found = rows[0] ? { environment: rows[0].environment } : null;
    }
    this.seen.set(req, found ?? NOT_A_ROBOT);
    return found;
  }

  /** The environment the robot's pass asks this request's FranceConnect step to use (null: the live one). */
  async environmentOf(req: Request, tenant: PortalOfPass): Promise<FranceConnectEnvironment | null> {
    return (await this.passOf(req, tenant))?.environment ?? null;
  }
}
