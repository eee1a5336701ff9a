import { USER_STATUS_LABELS, type UserStatus } from '@fcplat/domain';

const BADGE_CLASS: Readonly<Record<UserStatus, string>> = { active: 'badge--ok', invited: 'badge--neutral', disabled: 'badge--overdue' };

/** An account's status in the team lists: « actif », « invitation en attente » or « désactivé ». */
export function AccountStatusBadge(props: { status: UserStatus }) {
  return <span class={`badge ${BADGE_CLASS[props.status]}`}>{USER_STATUS_LABELS[props.status]}</span>;
}
