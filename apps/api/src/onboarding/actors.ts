import type { OnboardingActor } from '@fcplat/domain';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { selectOne } from '../database/raw-sql.js';

/** The onboarding state machine's actor for a request's caller. */
export function onboardingActorOf(actor: Actor): OnboardingActor {
  return actor.kind === 'staff' ? 'staff' : 'client_admin';
}

/** The caller's display name (comments keep it as written). */
export async function displayNameOf(manager: EntityManager, actor: Actor): Promise<string> {
  const row = await selectOne<{ display_name: string }>(manager, `SELECT display_name FROM app_user WHERE id = $1`, [actor.userId]);
  return row?.display_name ?? actor.email;
}
