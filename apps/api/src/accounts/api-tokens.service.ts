import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import type { ApiTokenView } from '@fcplat/contract';
import { ApiTokenEntity, appendAudit } from '@fcplat/db';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { issueApiToken, type IssuedApiToken } from './account-records.js';
import { idSchema } from './ids.js';

export type { ApiTokenView };

const NOT_FOUND = 'Jeton introuvable.';

/** Personal API tokens of staff members (`Authorization: Bearer fcp_…`), resolved by the AuthService. */
@Injectable()
export class ApiTokensService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Only from a console session (both factors): a leaked API token cannot mint itself successors.
   */
  async create(actor: Actor, requestId: string | null, name: string, expiresInDays: number): Promise<IssuedApiToken> {
    if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', { detail: 'Les jetons d’API sont réservés à l’équipe.' });
    if (actor.via !== 'session') {
      throw new AppError('FORBIDDEN', { detail: 'Créez un jeton depuis la console (connexion avec second facteur), pas avec un autre jeton.' });
    }
    return this.dataSource.transaction((manager) => issueApiToken(manager, actor.userId, name, expiresInDays, auditActorOf(actor), requestId));
  }

  /** The caller's live tokens (not revoked, not expired), newest first; never the token itself. */
  async list(actor: Actor): Promise<{ items: ApiTokenView[] }> {
    const rows = await this.dataSource
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('t')
      .where('t.user_id = :userId', { userId: actor.userId })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > now())')
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
    return {
      items: rows.map((t) => ({
        id: t.id,
        name: t.name,
        prefix: t.tokenPrefix,
        createdAt: t.createdAt.toISOString(),
        expiresAt: t.expiresAt?.toISOString() ?? null,
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      })),
    };
  }

  /** Revokes one of the caller's tokens; another user's token is "not found". */
  async revoke(actor: Actor, requestId: string | null, tokenId: string): Promise<void> {
    if (!idSchema.safeParse(tokenId).success) throw new AppError('NOT_FOUND', { detail: NOT_FOUND });
    await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING name, token_prefix`,
        [tokenId, actor.userId],
      )) as [{ name: string; token_prefix: string }[], number];
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND', { detail: NOT_FOUND });
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId: null,
        action: 'api_token.revoked',
        target: { type: 'api_token', id: tokenId },
        changes: { name: row.name, prefix: row.token_prefix, revoked: { before: false, after: true } },
        requestId,
      });
    });
  }
}
