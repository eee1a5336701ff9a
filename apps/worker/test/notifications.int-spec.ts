/**
 * Notifications end to end (docs/notifications.md): changes made through the real API record
 * their events in the outbox in their own transaction; the real worker (queue on Redis, PostgreSQL)
 * fans them out and e-mails the people concerned through the sandbox mail sink. Checked: who
 * receives what (a client administrator never gets another tenant's events nor internal notes),
 * the content, preferences (off: nothing; digest: one e-mail grouping), no duplicate when an event
 * is processed twice or by two runs at once, time-based events found once across runs, and a
 * batch's « Lot terminé » recorded once when its last calls end together.
 */
import { parseKeyring, SecretBox } from '@fcplat/crypto';
import { recordNotificationEvent, type TenantEntity } from '@fcplat/db';
import { CallLedger } from '@fcplat/api-particulier-calls';
import { failRun } from '@fcplat/qualification-runs';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import {
  callApi,
  dataPassWebhookPayload,
  eventually,
  LogCapture,
  MailInbox,
  makeClientAdmin,
  makeStaff,
  makeTenant,
  recordHabilitationState,
  scratchMigratedDatabase,
  setOnboardingStage,
  signDataPassWebhook,
  TEST_SECRETS_KEYS,
  testPlatformConfig,
  type ScratchDatabase,
  type TestClientAdmin,
  type TestStaff,
} from '@fcplat/testing';
import { parisCalendarDate } from '@fcplat/domain';
import type { PlatformConfig } from '@fcplat/config';
import type { DataSource } from 'typeorm';
import { startApi, type ApiApp } from '../../api/src/app.js';
import { startStandaloneMailSink, type StandaloneMailSink } from '../../sandbox/src/mail-sink.js';
import { NotificationEventProcessor, scanTimeBasedEvents, scheduleDigests, SmtpMailSender, startNotificationWorker, type RunningNotificationWorker } from '../src/notifications/index.js';

const WEBHOOK_SECRET = 'secret-du-webhook-datapass-de-test';

describe('notifications: outbox, worker, e-mails (real API, worker, PostgreSQL, Redis, mail sink)', () => {
  let scratch: ScratchDatabase;
  let sink: StandaloneMailSink;
  let inbox: MailInbox;
  let config: PlatformConfig;
  let apiInfra: PlatformInfrastructure;
  let workerInfra: PlatformInfrastructure;
  let api: ApiApp;
  let worker: RunningNotificationWorker;
  let ds: DataSource;
  let tenantA: TenantEntity;
  let tenantB: TenantEntity;
  let author: TestStaff;
  let colleague: TestStaff;
  let readOnly: TestStaff;
  let adminA: TestClientAdmin;
  let adminA2: TestClientAdmin;
  let adminB: TestClientAdmin;

  beforeAll(async () => {
    scratch = await scratchMigratedDatabase('fcplat-notifications-test');
    ds = scratch.dataSource;
    sink = await startStandaloneMailSink();
    inbox = new MailInbox(sink.inboxUrl);
    config = await testPlatformConfig({ DATABASE_URL: scratch.url, SMTP_URL: sink.smtpUrl, DATAPASS_WEBHOOK_SECRET: WEBHOOK_SECRET });
    apiInfra = await openPlatformInfrastructure(config, 'api');
    api = await startApi(config, apiInfra, { heartbeat: false, logDestination: new LogCapture() });
    workerInfra = await openPlatformInfrastructure(config, 'worker');
    // The relay polls fast; the time scan and the digests are run by the tests themselves (at chosen instants).
    worker = await startNotificationWorker(config, workerInfra, { schedule: { relayEveryMs: 100, scanEveryMs: 3_600_000, digestEveryMs: 3_600_000 } });
    tenantA = await makeTenant(ds, { name: 'Commune de Notifville' });
    tenantB = await makeTenant(ds, { name: 'Commune Voisine' });
    author = await makeStaff(ds, 'onboarding_agent', { displayName: 'Alice Agent' });
    colleague = await makeStaff(ds, 'admin', { displayName: 'Bruno Admin' });
    readOnly = await makeStaff(ds, 'read_only', { displayName: 'Lecteur' });
    adminA = await makeClientAdmin(ds, tenantA.id, { displayName: 'Camille Martin' });
    adminA2 = await makeClientAdmin(ds, tenantA.id, { displayName: 'Dominique Durand' });
    adminB = await makeClientAdmin(ds, tenantB.id, { displayName: 'Eva Voisine' });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await workerInfra?.close();
    await apiInfra?.close();
    await sink?.stop();
    await scratch?.drop();
  });

  /** Waits until every event of the outbox is processed (its notifications written, its immediate e-mails out). */
  async function allProcessed(): Promise<void> {
    await eventually(async () => {
      const [row] = (await ds.query(`SELECT count(*)::int AS n FROM notification_event WHERE processed_at IS NULL`)) as { n: number }[];
      return row?.n === 0;
    }, 20_000, 'every notification event processed');
  }

  const mailsTo = async (user: { email: string }, subject?: RegExp) => (await inbox.list(user.email)).filter((m) => !subject || subject.test(m.subject));
  const comment = (auth: string, tenantId: string, body: string, visibility?: 'internal' | 'client') =>
    callApi(api.url, 'POST', `/api/tenants/${tenantId}/onboarding/comments`, { auth, body: { body, ...(visibility ? { visibility } : {}) } });

  it('sends an internal note to staff only and a message to the client to both sides, never to another tenant', async () => {
    expect((await comment(author.authorization, tenantA.id, 'Le dossier DataPass est incomplet : pièce justificative manquante.', 'internal')).status).toBe(201);
    expect((await comment(author.authorization, tenantA.id, 'Bonjour, pourriez-vous déposer votre demande DataPass ?', 'client')).status).toBe(201);
    await allProcessed();

    // The author is not told of their own comments; the other staff member who can act is (no assignee: every one of them).
    expect(await mailsTo(author.user)).toEqual([]);
    const staffMails = await mailsTo(colleague.user);
    expect(staffMails.map((m) => m.subject).sort()).toEqual(['[fcplat] Commune de Notifville : message de Alice Agent', '[fcplat] Commune de Notifville : note interne de Alice Agent']);
    const note = staffMails.find((m) => m.subject.includes('note interne'));
    expect(note?.text).toContain('pièce justificative manquante');
    expect(note?.text).toContain(`${config.http.publicUrl}/console/clients/${tenantA.id}/suivi`);
    expect(note?.html).toContain('<a href=');
    // Read-only staff act on no case: nothing.
    expect(await mailsTo(readOnly.user)).toEqual([]);

    // Each administrator of tenant A gets the message, never the internal note; tenant B's gets nothing.
    for (const admin of [adminA, adminA2]) {
      const mails = await mailsTo(admin.user);
      expect(mails.map((m) => m.subject)).toEqual(['[fcplat] Nouveau message de Alice Agent sur votre dossier']);
      expect(mails[0]?.text).toContain('pourriez-vous déposer votre demande DataPass');
      expect(mails[0]?.text).not.toContain('pièce justificative');
    }
    expect(await mailsTo(adminB.user)).toEqual([]);

    // The console's list and badge: one unread for the client administrator of A, none for B's.
    const listA = await callApi<{ items: { id: string; kind: string; title: string; link: string }[]; unread: number; total: number }>(api.url, 'GET', '/api/accounts/me/notifications', { auth: adminA.cookie });
    expect(listA.status).toBe(200);
    expect(listA.body).toMatchObject({ total: 1, unread: 1, items: [{ kind: 'comment_client', link: `clients/${tenantA.id}/suivi` }] });
    const listB = await callApi<{ total: number; unread: number }>(api.url, 'GET', '/api/accounts/me/notifications', { auth: adminB.cookie });
    expect(listB.body).toMatchObject({ total: 0, unread: 0 });
    const staffList = await callApi<{ total: number; unread: number }>(api.url, 'GET', '/api/accounts/me/notifications', { auth: colleague.authorization });
    expect(staffList.body).toMatchObject({ total: 2, unread: 2 });
  });

  it('marks one notification read, refuses another person’s, then marks all read', async () => {
    const list = await callApi<{ items: { id: string }[] }>(api.url, 'GET', '/api/accounts/me/notifications', { auth: colleague.authorization });
    const [first, second] = list.body.items;
    // Another person's notification is not found, and stays unread.
    expect((await callApi(api.url, 'POST', `/api/accounts/me/notifications/${first?.id}/read`, { auth: adminA.cookie })).status).toBe(404);
    const read = await callApi<{ unread: number }>(api.url, 'POST', `/api/accounts/me/notifications/${first?.id}/read`, { auth: colleague.authorization });
    expect(read).toMatchObject({ status: 200, body: { unread: 1 } });
    const unreadOnly = await callApi<{ items: { id: string }[]; total: number }>(api.url, 'GET', '/api/accounts/me/notifications?unread=true', { auth: colleague.authorization });
    expect(unreadOnly.body.items.map((n) => n.id)).toEqual([second?.id]);
    expect((await callApi(api.url, 'POST', '/api/accounts/me/notifications/not-a-uuid/read', { auth: colleague.authorization })).status).toBe(404);
    expect(await callApi(api.url, 'POST', '/api/accounts/me/notifications/read-all', { auth: colleague.authorization })).toMatchObject({ status: 200, body: { unread: 0 } });
    expect(await callApi(api.url, 'GET', '/api/accounts/me/notifications/unread', { auth: colleague.authorization })).toMatchObject({ status: 200, body: { unread: 0 } });
  });

  it('sends one e-mail per event and person even when the event is processed again, or twice at once', async () => {
    // A stage change through the API (the tenant has filed its DataPass request).
    await recordHabilitationState(ds, tenantA.id, 'franceconnect', 'submitted');
    const moved = await callApi(api.url, 'POST', `/api/tenants/${tenantA.id}/onboarding/transitions`, { auth: author.authorization, body: { to: 'habilitations_requested' } });
    expect(moved.status).toBe(200);
    await allProcessed();
    const [event] = (await ds.query(`SELECT id::text AS id FROM notification_event WHERE kind = 'case_stage_changed' AND tenant_id = $1`, [tenantA.id])) as { id: string }[];
    if (!event) throw new Error('no stage change event');
    // Stage changes are digest-mode by default: no e-mail yet, a notification each.
    const before = (await ds.query(`SELECT user_id FROM notification WHERE event_id = $1 ORDER BY user_id`, [event.id])) as { user_id: string }[];
    expect(before.map((r) => r.user_id).sort()).toEqual([colleague.user.id, adminA.user.id, adminA2.user.id].sort());

    // The same event put on the queue twice more (as a redelivery would): the worker processes both jobs.
    for (const jobId of ['again-1', 'again-2']) {
      await workerInfra.producer.enqueue('notifications.event', { tenantId: tenantA.id, eventId: event.id }, { jobId: `notification-event-${event.id}-${jobId}` });
    }
    await eventually(async () => {
      const rows = (await ds.query(`SELECT count(*)::int AS n FROM job_outcome WHERE job_id LIKE $1 AND status = 'completed'`, [`notification-event-${event.id}-again-%`])) as { n: number }[];
      return rows[0]?.n === 2;
    }, 15_000, 'the two extra jobs completed');
    const after = (await ds.query(`SELECT count(*)::int AS n FROM notification WHERE event_id = $1`, [event.id])) as { n: number }[];
    expect(after[0]?.n).toBe(3);

    // An immediate-mode event processed by two runs at the same moment: one e-mail per person.
    const fresh = await ds.transaction(async (manager) => {
      const id = await recordNotificationEvent(manager, { kind: 'comment_client', tenantId: tenantA.id, actorId: author.user.id, data: { commentId: 'x', authorName: 'Alice Agent', authorKind: 'staff', excerpt: 'Deux passages simultanés.' } });
      // Taken by this test rather than by the relay.
      await manager.query(`UPDATE notification_event SET enqueued_at = now() WHERE id = $1`, [id]);
      return id as string;
    });
    const mailer = new SmtpMailSender(config);
    const processors = [new NotificationEventProcessor(ds, mailer, { publicUrl: config.http.publicUrl }), new NotificationEventProcessor(ds, mailer, { publicUrl: config.http.publicUrl })];
    const results = await Promise.all(processors.map((p) => p.process({ eventId: fresh })));
    mailer.close();
    expect(results.reduce((sum, r) => sum + r.emailed, 0)).toBe(3);
    for (const person of [colleague, adminA, adminA2]) expect((await mailsTo(person.user)).filter((m) => m.text.includes('Deux passages simultanés'))).toHaveLength(1);
    const twice = (await ds.query(
      `SELECT u.email, count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE n.event_id = $1 GROUP BY u.email`,
      [fresh],
    )) as { email: string; n: number }[];
    expect(twice.every((r) => r.n === 1)).toBe(true);
    expect((await inbox.list()).filter((m) => m.text.includes('Deux passages simultanés'))).toHaveLength(3);
    // And once more through the queue, after it was sent: still one e-mail each.
    await workerInfra.producer.enqueue('notifications.event', { tenantId: tenantA.id, eventId: fresh }, { jobId: `notification-event-${fresh}-again` });
    await eventually(async () => {
      const rows = (await ds.query(`SELECT count(*)::int AS n FROM job_outcome WHERE job_id = $1 AND status = 'completed'`, [`notification-event-${fresh}-again`])) as { n: number }[];
      return rows[0]?.n === 1;
    }, 15_000, 'the extra job completed');
    expect((await inbox.list()).filter((m) => m.text.includes('Deux passages simultanés'))).toHaveLength(3);
  });

  it('notifies nobody of a change that rolls back', async () => {
    await expect(
      ds.transaction(async (manager) => {
        await recordNotificationEvent(manager, { kind: 'comment_client', tenantId: tenantA.id, data: { commentId: 'y', authorName: 'Annulé', authorKind: 'staff', excerpt: 'Jamais envoyé' } });
        throw new Error('the change fails after recording its event');
      }),
    ).rejects.toThrow('the change fails');
    const [row] = (await ds.query(`SELECT count(*)::int AS n FROM notification_event WHERE data->>'excerpt' = 'Jamais envoyé'`)) as { n: number }[];
    expect(row?.n).toBe(0);
  });

  it('honours preferences: off sends nothing, digest sends one e-mail grouping the day’s notifications', async () => {
    // A client administrator cannot choose for staff-internal kinds; read-only staff change their own.
    const refused = await callApi<{ violations: { path: string }[] }>(api.url, 'PUT', '/api/accounts/me/notification-preferences', { auth: adminA.cookie, body: { modes: { comment_internal: 'immediate' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.violations.map((v) => v.path)).toEqual(['modes.comment_internal']);
    expect((await callApi(api.url, 'PUT', '/api/accounts/me/notification-preferences', { auth: readOnly.authorization, body: { modes: { robot_checks_failed: 'off' } } })).status).toBe(200);
    const own = await callApi<{ items: { kind: string; mode: string }[] }>(api.url, 'GET', '/api/accounts/me/notification-preferences', { auth: adminA.cookie });
    expect(own.body.items.map((i) => i.kind)).not.toContain('comment_internal');
    expect(own.body.items.find((i) => i.kind === 'comment_client')?.mode).toBe('immediate');

    expect((await callApi(api.url, 'PUT', '/api/accounts/me/notification-preferences', { auth: adminA.cookie, body: { modes: { comment_client: 'off' } } })).status).toBe(200);
    expect((await callApi(api.url, 'PUT', '/api/accounts/me/notification-preferences', { auth: adminA2.cookie, body: { modes: { comment_client: 'digest' } } })).status).toBe(200);
    const adminABefore = (await mailsTo(adminA.user)).length;
    const adminA2Before = (await mailsTo(adminA2.user)).length;
    expect((await comment(author.authorization, tenantA.id, 'Premier message du jour.', 'client')).status).toBe(201);
    expect((await comment(author.authorization, tenantA.id, 'Second message du jour.', 'client')).status).toBe(201);
    await allProcessed();
    // Off: no e-mail and nothing in the console; digest: no e-mail yet, in the console at once.
    expect(await mailsTo(adminA.user)).toHaveLength(adminABefore);
    const offList = await callApi<{ items: { title: string; body: string }[] }>(api.url, 'GET', '/api/accounts/me/notifications', { auth: adminA.cookie });
    expect(offList.body.items.some((n) => n.body.includes('du jour'))).toBe(false);
    expect(await mailsTo(adminA2.user)).toHaveLength(adminA2Before);
    const digestList = await callApi<{ items: { body: string }[] }>(api.url, 'GET', '/api/accounts/me/notifications', { auth: adminA2.cookie });
    expect(digestList.body.items.filter((n) => n.body.includes('du jour'))).toHaveLength(2);

    // Tomorrow 09:00 in Paris: the digests are made (twice, and twice at once: one per person and day) and sent by the worker.
    const tomorrow = new Date(`${parisCalendarDate(new Date())}T12:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    tomorrow.setUTCHours(8, 0, 0, 0); // 09:00 or 10:00 in Paris
    const made = await Promise.all([scheduleDigests(ds, workerInfra.producer, tomorrow), scheduleDigests(ds, workerInfra.producer, tomorrow)]);
    expect(made.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await scheduleDigests(ds, workerInfra.producer, tomorrow)).toBe(0);
    const digest = await inbox.waitFor(adminA2.user.email, { subject: /Récapitulatif/ });
    expect(digest.text).toContain('Premier message du jour.');
    expect(digest.text).toContain('Second message du jour.');
    expect(digest.text).toContain('Message sur un dossier (2)');
    await eventually(async () => {
      const rows = (await ds.query(`SELECT count(*)::int AS n FROM notification_digest WHERE status IN ('pending', 'sending')`)) as { n: number }[];
      return rows[0]?.n === 0;
    }, 15_000, 'every digest sent');
    expect(await mailsTo(adminA2.user, /Récapitulatif/)).toHaveLength(1);
    // The other administrator's digest has the day's stage change (digest by default), not the messages they turned off.
    const otherDigest = await mailsTo(adminA.user, /Récapitulatif/);
    expect(otherDigest).toHaveLength(1);
    expect(otherDigest[0]?.text).toContain('Changement d’étape d’un dossier (1)');
    expect(otherDigest[0]?.text).not.toContain('du jour');
  });

  it('records the time-based events once whatever the runs, and e-mails them', async () => {
    const late = await makeTenant(ds, { name: 'Commune en retard' });
    const lateAdmin = await makeClientAdmin(ds, late.id, { displayName: 'Gaston Retard' });
    const assignee = await makeStaff(ds, 'onboarding_agent', { displayName: 'Hélène Suivi' });
    // At « Client créé » (waiting on the client) for 12 working days: overdue by 2 (SLA 10).
    const enteredAt = new Date(`${parisCalendarDate(new Date(Date.now() - 20 * 86_400_000))}T10:00:00Z`);
    await setOnboardingStage(ds, late.id, 'created', { enteredAt, assigneeId: assignee.user.id });
    const in10Days = new Date(`${parisCalendarDate(new Date())}T12:00:00Z`);
    in10Days.setUTCDate(in10Days.getUTCDate() + 10);
    await ds.query(
      `INSERT INTO api_particulier_credential (tenant_id, environment, token_ciphertext, received_on, expires_on) VALUES ($1, 'staging', 'v1.test-only', current_date - 500, $2::date)`,
      [late.id, in10Days.toISOString().slice(0, 10)],
    );
    const runs = await Promise.all([scanTimeBasedEvents(ds), scanTimeBasedEvents(ds)]);
    expect(await scanTimeBasedEvents(ds)).toBe(0);
    const events = (await ds.query(`SELECT kind, data FROM notification_event WHERE tenant_id = $1 ORDER BY kind`, [late.id])) as { kind: string; data: Record<string, unknown> }[];
    expect(runs.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(events.map((e) => e.kind)).toEqual(['api_particulier_token_expiring', 'case_overdue']);
    expect(events[0]?.data).toMatchObject({ environment: 'staging', threshold: 14 });
    await allProcessed();
    // The assignee only (not every agent), and the client's administrator since the client must act.
    const overdueMails = await mailsTo(assignee.user, /délai dépassé/);
    expect(overdueMails).toHaveLength(1);
    expect(overdueMails[0]?.text).toContain('En attente : Le client.');
    expect(await mailsTo(colleague.user, /Commune en retard/)).toEqual([]);
    const clientMails = await mailsTo(lateAdmin.user);
    expect(clientMails.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/^\[fcplat\] Jeton API Particulier expirant le /),
      '[fcplat] Votre dossier : délai dépassé (« Client créé »)',
    ]);
    expect(clientMails.find((m) => m.subject.includes('Jeton'))?.text).toContain('Recette API Particulier');
    expect(await mailsTo(adminB.user)).toEqual([]);
  });

  it('tells staff and the tenant’s administrators of a DataPass decision received by webhook, once even when DataPass sends it again', async () => {
    const decided = await makeTenant(ds, { name: 'Commune Habilitée' });
    const decidedAdmin = await makeClientAdmin(ds, decided.id, { displayName: 'Iris Habilitée' });
    const send = (event: string) => {
      const raw = JSON.stringify(dataPassWebhookPayload({ event, siret: decided.siret, id: 4242, product: 'api_particulier' }));
      return callApi(api.url, 'POST', '/api/webhooks/datapass', { rawBody: raw, headers: { 'x-hub-signature-256': signDataPassWebhook(WEBHOOK_SECRET, raw), 'x-app-environment': 'production' } });
    };
    expect((await send('approve')).status).toBe(200);
    expect((await send('approve')).status).toBe(200); // a replay
    await allProcessed();
    const mails = await mailsTo(decidedAdmin.user, /Habilitation/);
    expect(mails.map((m) => m.subject)).toEqual(['[fcplat] Habilitation API Particulier : validée']);
    expect(mails[0]?.text).toContain('selon DataPass');
    expect(await mailsTo(colleague.user, /Commune Habilitée : habilitation API Particulier : validée/)).toHaveLength(1);
    expect(await mailsTo(adminA.user, /Habilitation/)).toEqual([]);
  });

  it('tells staff, never the client, of a failed qualification robot run, once', async () => {
    const [run] = (await ds.query(`INSERT INTO qualification_robot_run (tenant_id, trigger, status, started_at) VALUES ($1, 'manual', 'running', now()) RETURNING id`, [tenantB.id])) as { id: string }[];
    await failRun(ds, run?.id ?? '', 'PORTAL_UNREACHABLE', 'Le portail du client ne répond pas.');
    await failRun(ds, run?.id ?? '', 'PORTAL_UNREACHABLE', 'Le portail du client ne répond pas.'); // already failed: nothing more
    await allProcessed();
    const mails = await mailsTo(colleague.user, /robot de qualification a échoué/);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('[fcplat] Commune Voisine : le passage du robot de qualification a échoué');
    expect(mails[0]?.text).toContain('Le portail du client ne répond pas.');
    expect(await mailsTo(adminB.user, /robot/)).toEqual([]);
  });

  it('records « Lot terminé » once when the batch’s last calls end together, and tells the tenant’s administrators', async () => {
    const ledger = new CallLedger(ds, new SecretBox(parseKeyring(TEST_SECRETS_KEYS, 'test1')), 1);
    const [created] = (await ds.query(
      `INSERT INTO api_particulier_batch (tenant_id, api, modality, file_name, created_by, total_lines, accepted_lines, rejected_lines, environment)
       VALUES ($1, 'statut_etudiant', 'ine', 'rentree.csv', $2, 3, 3, 0, 'sandbox') RETURNING id`,
      [tenantB.id, adminB.user.id],
    )) as { id: string }[];
    const batchId = created?.id ?? '';
    const ids = await ds.transaction((manager) =>
      ledger.insert(
        manager,
        [1, 2, 3].map((line) => ({
          tenantId: tenantB.id,
          recipient: tenantB.siret,
          environment: 'sandbox' as const,
          api: 'statut_etudiant' as const,
          input: { modality: 'ine' as const, ine: `12345678${line}AB` },
          origin: 'batch' as const,
          triggeredBy: `account:${adminB.user.id}`,
          batch: { id: batchId, line, reference: null },
          priority: 1 as const,
        })),
      ),
    );
    const failed = { status: 'failed' as const, httpStatus: 404, errorCode: 'APIP_NOT_FOUND', upstreamCode: null, latencyMs: 5 };
    const [firstCall, ...lastCalls] = ids;
    expect(await ledger.finish({ id: firstCall ?? '', tenantId: tenantB.id }, failed)).toBe(true);
    const count = async (): Promise<number> =>
      ((await ds.query(`SELECT count(*)::int AS n FROM notification_event WHERE kind = 'batch_finished' AND data->>'batchId' = $1`, [batchId])) as { n: number }[])[0]?.n ?? -1;
    expect(await count()).toBe(0);
    await Promise.all(lastCalls.map((id) => ledger.finish({ id, tenantId: tenantB.id }, { ...failed, status: 'succeeded', httpStatus: 200, errorCode: null })));
    expect(await count()).toBe(1);
    await allProcessed();
    const mails = await mailsTo(adminB.user, /Lot terminé/);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('Les 3 dossiers du lot « rentree.csv » ont été traités : 2 réussis, 1 en échec.');
    expect(await mailsTo(adminA.user, /Lot terminé/)).toEqual([]);
  });
});
