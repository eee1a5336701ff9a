import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = [
  'case_stage_changed',
  'comment_internal',
  'comment_client',
  'case_due_soon',
  'case_overdue',
  'habilitation_changed',
  'api_particulier_token_expiring',
  'robot_checks_failed',
  'batch_finished',
];

/**
 * Notifications (issue 16, docs/notifications.md):
 * - `notification_event`, the outbox: one row per event, written in the transaction of the change
 *   it describes (a rolled-back change notifies nobody); `dedup_key` (unique) makes an event found
 *   by a periodic scan (overdue case, expiring token) exist once whatever the runs or replicas;
 *   the worker's relay enqueues the rows not yet processed;
 * - `notification`: one per (event, person) — the unique key that makes the fan-out and the
 *   e-mail idempotent; what the console lists (read or not), with the e-mail's state;
 * - `notification_preference`: a person's mode per kind (no row: the kind's default);
 * - `notification_digest`: one per (person, Paris day), the daily e-mail grouping the digest-mode
 *   notifications.
 */
export class Notifications1765600000000 implements MigrationInterface {
  name = 'Notifications1765600000000';

  async up(q: QueryRunner): Promise<void> {
    const kinds = KINDS.map((k) => `'${k}'`).join(', ');
    await q.query(`
      CREATE TABLE notification_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN (${kinds})),
        tenant_id uuid NULL REFERENCES tenant (id) ON DELETE CASCADE,
        actor_id uuid NULL,
        dedup_key text NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz NULL,
        enqueue_count integer NOT NULL DEFAULT 0,
        processed_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX notification_event_dedup_uq ON notification_event (dedup_key)`);
    await q.query(`CREATE INDEX notification_event_pending_idx ON notification_event (id) WHERE processed_at IS NULL`);

    await q.query(`
      CREATE TABLE notification_digest (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        digest_on date NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'skipped')),
        claimed_at timestamptz NULL,
        sent_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX notification_digest_user_day_uq ON notification_digest (user_id, digest_on)`);
    await q.query(`CREATE INDEX notification_digest_unsent_idx ON notification_digest (created_at) WHERE status IN ('pending', 'sending')`);

    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id bigint NOT NULL REFERENCES notification_event (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        tenant_id uuid NULL REFERENCES tenant (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN (${kinds})),
        title text NOT NULL,
        body text NOT NULL,
        link text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz NULL,
        email_mode text NOT NULL CHECK (email_mode IN ('immediate', 'digest')),
        email_status text NOT NULL DEFAULT 'pending' CHECK (email_status IN ('pending', 'sending', 'sent', 'skipped')),
        email_claimed_at timestamptz NULL,
        emailed_at timestamptz NULL,
        digest_id uuid NULL REFERENCES notification_digest (id) ON DELETE SET NULL
      )`);
    // One notification, hence at most one e-mail, per event and person: the fan-out inserts ON CONFLICT DO NOTHING.
    await q.query(`CREATE UNIQUE INDEX notification_event_user_uq ON notification (event_id, user_id)`);
    await q.query(`CREATE INDEX notification_user_created_idx ON notification (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notification_user_unread_idx ON notification (user_id) WHERE read_at IS NULL`);
    await q.query(`CREATE INDEX notification_digest_waiting_idx ON notification (user_id, created_at) WHERE email_mode = 'digest' AND digest_id IS NULL`);
    await q.query(`CREATE INDEX notification_digest_items_idx ON notification (digest_id) WHERE digest_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE notification_preference (
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN (${kinds})),
        mode text NOT NULL CHECK (mode IN ('immediate', 'digest', 'off')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, kind)
      )`);
    // « Lot terminé »: whether a batch still has an open call, answered from its open calls only
    // (each call's end asks it; without this index the question walks the batch's ended calls).
    await q.query(`CREATE INDEX api_particulier_call_batch_open_idx ON api_particulier_call (batch_id) WHERE batch_id IS NOT NULL AND status NOT IN ('succeeded', 'failed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_particulier_call_batch_open_idx`);
    await q.query(`DROP TABLE notification_preference`);
    await q.query(`DROP TABLE notification`);
    await q.query(`DROP TABLE notification_digest`);
    await q.query(`DROP TABLE notification_event`);
  }
}
