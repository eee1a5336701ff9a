/**
 * The background queues as staff see them in the console's « Files d'attente » page: French
 * names of the queues, of the states of their jobs (BullMQ's own states) and of the states of
 * API Particulier calls in the ledger. Pure data, shared by the API (which answers the labels)
 * and the console.
 */
import type { CALL_STATUSES } from './api-particulier.js';

/** The platform's queues (`QUEUE_NAMES` of libs/queue: the API's dashboard reads these labels as a `Record<QueueName, string>`, so the compiler asks for any new queue's label). */
export const QUEUE_IDS = ['system', 'api-particulier', 'qualification', 'notifications'] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

export const QUEUE_LABELS: Readonly<Record<QueueId, string>> = {
  system: 'Tâches système',
  'api-particulier': 'Appels API Particulier',
  qualification: 'Robot de qualification',
  notifications: 'Notifications (courriels)',
};

/** The states a job goes through in a queue, in the order the page shows them. */
export const QUEUE_JOB_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed', 'paused'] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

export const QUEUE_JOB_STATE_LABELS: Readonly<Record<QueueJobState, string>> = {
  waiting: 'En attente',
  prioritized: 'En attente (prioritaires)',
  delayed: 'Différés',
  active: 'En cours',
  completed: 'Terminés',
  failed: 'En échec',
  paused: 'En pause',
};

/** The states of an API Particulier call in the ledger (PostgreSQL), plural, for counts. */
export const CALL_STATUS_COUNT_LABELS: Readonly<Record<(typeof CALL_STATUSES)[number], string>> = {
  queued: 'En attente (file équitable)',
  dispatched: 'Confiés à la file',
  running: 'En cours',
  retrying: 'En attente d’un nouvel essai',
  succeeded: 'Réussis',
  failed: 'En échec',
};
