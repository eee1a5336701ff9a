import { FRANCECONNECT_ENVIRONMENT_LABELS, type FranceConnectEnvironment, type ItemStatus, type RobotVerdict } from '@fcplat/domain';
import type { RobotRunView } from '@fcplat/contract';

export const VERDICT_SEVERITY: Readonly<Record<RobotVerdict, 'success' | 'danger' | 'secondary' | 'info'>> = {
  passed: 'success',
  failed: 'danger',
  not_verifiable: 'secondary',
  not_applicable: 'info',
};

/** « conforme » / « non conforme »… in a sentence (a person's verdict on the checklist). */
export const PERSON_WORDS: Readonly<Record<ItemStatus, string>> = {
  todo: 'à vérifier',
  passed: 'conforme',
  failed: 'non conforme',
  not_applicable: 'sans objet',
};

export const ROBOT_WORDS: Readonly<Record<RobotVerdict, string>> = {
  passed: 'conforme',
  failed: 'non conforme',
  not_verifiable: 'non vérifiable ici',
  not_applicable: 'sans objet',
};

export function environmentText(environment: FranceConnectEnvironment | null): string {
  return environment ? FRANCECONNECT_ENVIRONMENT_LABELS[environment] : 'aucun';
}

/** « 42 s », « 2 min 05 s ». */
export function durationText(ms: number | null): string {
  if (ms === null || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** « 12 conformes, 2 non conformes, 3 non vérifiables ici, 5 sans objet ». */
export function countsText(counts: RobotRunView['counts']): string {
  if (!counts) return '—';
  return `${counts.passed} conforme(s), ${counts.failed} non conforme(s), ${counts.not_verifiable} non vérifiable(s) ici, ${counts.not_applicable} sans objet`;
}

/** Why a run was asked: « Demandée par l’équipe (Dominique Agent) — nouveau logo ». */
export function whyText(run: RobotRunView): string {
  return `${run.triggerLabel}${run.requestedBy ? ` (${run.requestedBy.displayName})` : ''}${run.reason ? ` — ${run.reason}` : ''}`;
}

/** The progress of a run that waits or runs, as said to everyone (a live region reads it). */
export function progressText(run: RobotRunView): string {
  if (run.status === 'queued') return 'En attente…';
  const step = run.progress.total > 0 ? `étape ${Math.min(run.progress.done + 1, run.progress.total)}/${run.progress.total}` : 'démarrage';
  return `En cours : ${step}${run.progress.label ? ` — ${run.progress.label}` : ''}`;
}

/** A measured value, readable: text as is, yes/no, numbers, lists and objects as compact JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return value.toLocaleString('fr-FR');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  return JSON.stringify(value);
}
