import { ApiError, type Problem } from '../../../api/client';
import type { CaseHistoryEntry } from '@fcplat/contract';

export const KIND_LABELS: Readonly<Record<CaseHistoryEntry['kind'], string>> = {
  opened: 'Ouverture du dossier',
  advance: 'Étape suivante',
  skip: 'Étapes sautées',
  rollback: 'Retour en arrière',
};

export function failure(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
}
