import type { CallView } from '@fcplat/contract';

export const STATUS_LABELS: Readonly<Record<CallView['status'], string>> = {
  queued: 'En attente',
  dispatched: 'En file',
  running: 'En cours',
  retrying: 'Nouvel essai prévu',
  succeeded: 'Réussi',
  failed: 'Échec',
};

export const ORIGIN_LABELS: Readonly<Record<CallView['origin'], string>> = { citizen: 'Portail', batch: 'Lot', staff: 'Équipe' };

export const MODALITY_LABELS: Readonly<Record<CallView['modality'], string>> = { pivot_identity: 'Identité pivot', ine: 'INE', france_connect: 'FranceConnect' };
