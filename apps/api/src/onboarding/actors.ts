import type { OnboardingActor } from '@fcplat/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { selectOne } from './sql.js';

/** The onboarding state machine's actor for a request's caller. */
export function onboardingActorOf(actor: Actor): OnboardingActor {
  return actor.kind === 'staff' ? 'staff' : 'client_admin';
}

/**
 * SQL expression: the display name of the user whose id is the text column `column` (audit-style
 * actor ids are text; non-uuid ids such as `qualification-robot` give NULL without a cast error).
 */
export function userNameByTextIdSql(column: string): string {
  return `(SELECT display_name FROM app_user WHERE id = CASE WHEN ${column} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN ${column}::uuid END)`;
}

/** The caller's display name (comments keep it as written). */
export async function displayNameOf(manager: EntityManager, actor: Actor): Promise<string> {
  const row = await selectOne<{ display_name: string }>(manager, `SELECT display_name FROM app_user WHERE id = $1`, [actor.userId]);
  return row?.display_name ?? actor.email;
}
