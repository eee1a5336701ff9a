/**
 * API Particulier calls end to end: ledger → fair dispatcher → BullMQ (real Redis) → processor →
 * the sandbox stand-in over HTTP → ledger. Each modality, each error class, retries, idempotence
 * and fairness. (429 storms, a killed worker and a restarted Redis: calls-resilience.int-spec.ts.)
 */
import type { TenantEntity } from '@fcplat/db';
import type { JobContext } from '@fcplat/queue';
import { eventually } from '@fcplat/testing';
import { CallDispatcher, servedOrder, type CallInput, type CallRecord, type NewCall } from '../src/index.js';
import { enqueueCalls, LEFEBVRE, startApipWorld, type ApipWorld, type RunningWorkerParts } from './world.js';

const NOBODY: CallInput = {
  modality: 'pivot_identity',
  identity: { nomNaissance: 'PERSONNE', prenoms: ['INCONNUE'], sexeEtatCivil: 'F', anneeDateNaissance: 1970, codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '75107' },
};

describe('API Particulier calls through the queue', () => {
  let world: ApipWorld;
  let worker: RunningWorkerParts;
  let tenant: TenantEntity & { minted: { jti: string } };

  beforeAll(async () => {
    world = await startApipWorld({ env: { API_PARTICULIER_WORKER_CONCURRENCY: '4' } });
    worker = await world.startWorker();
    tenant = await world.tenant();
  }, 60_000);
  afterAll(() => world?.close());

  async function enqueue(target: TenantEntity, api: NewCall['api'], inputs: readonly CallInput[], extra: Partial<NewCall> = {}): Promise<string[]> {
    return world.db.dataSource.transaction((manager) =>
      world.api.ledger.insert(
        manager,
        inputs.map((input) => ({ tenantId: target.id, recipient: target.siret, environment: 'sandbox', api, input, origin: 'batch', triggeredBy: 'account:test', priority: 1, ...extra })),
      ),
    );
  }
  const waitAll = (ids: string[], ms = 20_000): Promise<CallRecord[]> => world.api.ledger.waitForEnd(ids, ms);
  const journalOf = (callId: string) => world.standIn.journal.filter((e) => e.requestId === callId);

  it('pivot identity: the quotient familial arrives, recipient = the tenant SIRET, inputs erased, one request', async () => {
    const [id] = await enqueue(tenant, 'quotient_familial', [LEFEBVRE]);
    const [record] = await waitAll([id as string]);
    expect(record).toMatchObject({ status: 'succeeded', httpStatus: 200, attempts: 1, errorCode: null, recipient: tenant.siret, hasResult: true });
    expect(await world.api.ledger.result(tenant.id, id as string)).toEqual({
      api: 'quotient_familial',
      quotientFamilial: { valeur: 2550, annee: 2023, mois: 6, fournisseur: 'CNAF' },
      nombreEnfants: 0,
    });
    expect(journalOf(id as string)).toEqual([expect.objectContaining({ status: 200, recipient: tenant.siret, tokenId: tenant.minted.jti, modality: 'pivot_identity', route: '/v3/dss/quotient_familial/identite' })]);
    const [row] = (await world.db.dataSource.query(`SELECT input_ciphertext FROM api_particulier_call WHERE id = $1`, [id])) as [{ input_ciphertext: string | null }];
    expect(row.input_ciphertext).toBeNull();
  });

  it('tolerant reading: a 200 with "adresse": null succeeds, its result kept, with a schema-drift warning; a missing required field still fails', async () => {
    const fault = await world.admin('POST', '/admin/faults', { kind: 'data', data: { adresse: null }, recipient: tenant.siret });
    expect(fault.status).toBe(201);
    const [drifted] = await enqueue(tenant, 'quotient_familial', [LEFEBVRE]);
    const [record] = await waitAll([drifted as string]);
    expect(record).toMatchObject({ status: 'succeeded', httpStatus: 200, errorCode: null, attempts: 1, hasResult: true, schemaDrift: 'adresse: expected object' });
    expect(await world.api.ledger.result(tenant.id, drifted as string)).toMatchObject({ quotientFamilial: { valeur: 2550, annee: 2023, mois: 6, fournisseur: 'CNAF' } });
    expect(journalOf(drifted as string)).toEqual([expect.objectContaining({ status: 200, fault: 'data' })]);

    // What the product reads is still checked strictly: a quotient without its value is unusable.
    await world.admin('POST', '/admin/faults', { kind: 'data', data: { quotient_familial: { fournisseur: 'CNAF', annee: 2023, mois: 6, annee_calcul: 2023, mois_calcul: 6 } }, recipient: tenant.siret });
    const [broken] = await enqueue(tenant, 'quotient_familial', [LEFEBVRE]);
    const [failed] = await waitAll([broken as string]);
    expect(failed).toMatchObject({ status: 'failed', httpStatus: 200, errorCode: 'APIP_INVALID_RESPONSE', attempts: 1, hasResult: false, schemaDrift: null });

    // An answer as documented carries no warning.
    const [clean] = await enqueue(tenant, 'quotient_familial', [LEFEBVRE]);
    expect((await waitAll([clean as string]))[0]).toMatchObject({ status: 'succeeded', schemaDrift: null });
  });

  it('INE and FranceConnect modalities', async () => {
    const [ine] = await enqueue(tenant, 'statut_etudiant_boursier', [{ modality: 'ine', ine: '1234567890C' }]);
    const [fc] = await enqueue(tenant, 'quotient_familial', [{ modality: 'france_connect', franceConnectAccessToken: 'cnaf_qfv2' }], {
      origin: 'citizen',
      priority: 0,
      franceConnectTokenExpiresAt: new Date(Date.now() + 50_000),
    });
    const records = await waitAll([ine as string, fc as string]);
    expect(records.map((r) => [r.modality, r.status, r.httpStatus])).toEqual([
      ['ine', 'succeeded', 200],
      ['france_connect', 'succeeded', 200],
    ]);
    expect((await world.api.ledger.result(tenant.id, ine as string))?.api).toBe('statut_etudiant_boursier');
    const qf = await world.api.ledger.result(tenant.id, fc as string);
    expect(qf?.api === 'quotient_familial' && qf.quotientFamilial?.valeur).toEqual(expect.any(Number));
    // The FranceConnect token, not the tenant's, was the bearer.
    expect(journalOf(fc as string)[0]?.tokenId).not.toBe(tenant.minted.jti);
  });

  it('a FranceConnect token that died before the call ends the call without calling', async () => {
    const [id] = await enqueue(tenant, 'quotient_familial', [{ modality: 'france_connect', franceConnectAccessToken: 'cnaf_qfv2' }], {
      origin: 'citizen',
      priority: 0,
      franceConnectTokenExpiresAt: new Date(Date.now() - 1000),
    });
    const [record] = await waitAll([id as string]);
    expect(record).toMatchObject({ status: 'failed', errorCode: 'FRANCECONNECT_TOKEN_EXPIRED', attempts: 0, httpStatus: null });
    expect(journalOf(id as string)).toEqual([]);
  });

  it('final errors end at once with their code: 404, 403, 401 (revoked), 422', async () => {
    const narrow = await world.tenant({ token: { scopes: ['cnous_statut_boursier'] } });
    const revoked = await world.tenant();
    world.standIn.revokeToken(revoked.minted.jti);
    const [notFound] = await enqueue(tenant, 'quotient_familial', [NOBODY]);
    const [forbidden] = await enqueue(narrow, 'quotient_familial', [LEFEBVRE]);
    const [unauthorized] = await enqueue(revoked, 'quotient_familial', [LEFEBVRE]);
    // Bypasses our own checks (batches never send this): the upstream's 422.
    const [invalid] = await enqueue(tenant, 'quotient_familial', [{ modality: 'pivot_identity', identity: { nomNaissance: 'LEFEBVRE', prenoms: ['ALEXIS'] } }]);
    const records = await waitAll([notFound, forbidden, unauthorized, invalid] as string[]);
    expect(records.map((r) => [r.status, r.httpStatus, r.errorCode, r.attempts])).toEqual([
      ['failed', 404, 'APIP_NOT_FOUND', 1],
      ['failed', 403, 'APIP_FORBIDDEN', 1],
      ['failed', 401, 'APIP_TOKEN_REVOKED', 1],
      ['failed', 422, 'APIP_INVALID_PARAMETERS', 1],
    ]);
    expect(records[0]?.upstreamCode).toMatch(/^\d{5}$/);
    for (const id of [notFound, forbidden, unauthorized, invalid]) expect(journalOf(id as string)).toHaveLength(1);
  });

  it('retryable errors (502, 409, 504, client timeout) are retried with backoff until success', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ kind: 'status', status: 502, count: 2 }, 3],
      [{ kind: 'status', status: 409, count: 1 }, 2],
      [{ kind: 'status', status: 504, count: 1 }, 2],
      [{ kind: 'timeout', count: 1 }, 2],
    ];
    for (const [fault, attempts] of cases) {
      const target = await world.tenant();
      expect((await world.admin('POST', '/admin/faults', { ...fault, recipient: target.siret })).status).toBe(201);
      const [id] = await enqueue(target, 'quotient_familial', [LEFEBVRE]);
      const [record] = await waitAll([id as string]);
      // A client timeout is ambiguous (the request may have reached API Particulier): counted on the record.
      expect({ fault, status: record?.status, attempts: record?.attempts, httpStatus: record?.httpStatus, ambiguous: record?.ambiguousAttempts }).toEqual({
        fault,
        status: 'succeeded',
        attempts,
        httpStatus: 200,
        ambiguous: fault['kind'] === 'timeout' ? 1 : 0,
      });
      expect(journalOf(id as string)).toHaveLength(attempts);
    }
  }, 60_000);

  it('a call that keeps failing ends after the last attempt with the last error', async () => {
    const target = await world.tenant();
    await world.admin('POST', '/admin/faults', { kind: 'status', status: 503, ratio: 1, recipient: target.siret });
    const [id] = await enqueue(target, 'quotient_familial', [LEFEBVRE]);
    const [record] = await waitAll([id as string], 30_000);
    expect(record).toMatchObject({ status: 'failed', errorCode: 'APIP_UNAVAILABLE', httpStatus: 503, attempts: world.config.apiParticulier.maxAttempts });
    expect(journalOf(id as string)).toHaveLength(world.config.apiParticulier.maxAttempts);
  }, 40_000);

  it('a taken-over call: the takeover is counted as ambiguous, the stale run cannot fail it, and its late 200 wins over a failure', async () => {
    // Run 1 claimed the call and its worker stalled (lease expired); the reaper is minutes away.
    const id = await world.db.dataSource.transaction(async (manager) => {
      const [created] = await world.api.ledger.insert(manager, [
        { tenantId: tenant.id, recipient: tenant.siret, environment: 'sandbox', api: 'quotient_familial', input: LEFEBVRE, origin: 'batch', triggeredBy: 'account:test', priority: 1 },
      ]);
      await manager.query(`UPDATE api_particulier_call SET status = 'running', attempts = 1, lease_until = now() - interval '1 second' WHERE id = $1`, [created]);
      return created as string;
    });
    const ledger = world.api.ledger;
    expect(await ledger.claim(id, 4_000)).toBe(2);
    expect((await ledger.records([id]))[0]).toMatchObject({ status: 'running', attempts: 2, ambiguousAttempts: 1 });
    // The stale run's failures no longer apply…
    await ledger.retrying(id, 1, { httpStatus: 503, errorCode: 'APIP_UNAVAILABLE', upstreamCode: null, latencyMs: 5 });
    const failure = { status: 'failed' as const, httpStatus: 503, errorCode: 'APIP_UNAVAILABLE', upstreamCode: null, latencyMs: 5 };
    expect(await ledger.finish({ id, tenantId: tenant.id }, failure, 1)).toBe(false);
    expect((await ledger.records([id]))[0]).toMatchObject({ status: 'running', attempts: 2 });
    // …the current run's do; then the stale run's 200 arrives: the call is not failed.
    expect(await ledger.finish({ id, tenantId: tenant.id }, failure, 2)).toBe(true);
    const summary = { api: 'quotient_familial' as const, quotientFamilial: { valeur: 2550, annee: 2023, mois: 6, fournisseur: 'CNAF' as const }, nombreEnfants: 0 };
    expect(await ledger.finish({ id, tenantId: tenant.id }, { status: 'succeeded', httpStatus: 200, errorCode: null, upstreamCode: null, latencyMs: 7, summary })).toBe(true);
    expect((await ledger.records([id]))[0]).toMatchObject({ status: 'succeeded', httpStatus: 200, errorCode: null, hasResult: true, ambiguousAttempts: 1 });
    // A failure never overwrites a success.
    expect(await ledger.finish({ id, tenantId: tenant.id }, failure)).toBe(false);
  });

  it('is idempotent: an ended call seen again makes no request and changes nothing', async () => {
    const [id] = await enqueue(tenant, 'quotient_familial', [LEFEBVRE]);
    await waitAll([id as string]);
    const before = (await world.api.ledger.records([id as string]))[0];
    const context: JobContext = { jobId: id as string, attempt: 2, workerId: 'test', postpone: () => Promise.reject(new Error('no postpone expected')) };
    await expect(worker.parts.processor.process({ tenantId: tenant.id, callId: id as string }, context)).resolves.toEqual({ outcome: 'skipped', status: 'succeeded' });
    // The same job added again: BullMQ keeps the finished job under its id, nothing runs twice.
    await world.apiInfrastructure.producer.enqueue('api-particulier.call', { tenantId: tenant.id, callId: id as string }, { jobId: id as string });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(journalOf(id as string)).toHaveLength(1);
    expect((await world.api.ledger.records([id as string]))[0]).toEqual(before);
  });

  it('is fair: a tenant arriving behind another tenant’s backlog is served within one window, not after it', async () => {
    const big = await world.tenant();
    const small = await world.tenant();
    const bigIds = await enqueue(big, 'quotient_familial', Array.from({ length: 120 }, () => LEFEBVRE));
    await eventually(async () => {
      const [{ n }] = (await world.db.dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call WHERE tenant_id = $1 AND status = 'succeeded'`, [big.id])) as [{ n: number }];
      return n >= 10;
    }, 20_000);
    const smallIds = await enqueue(small, 'quotient_familial', [LEFEBVRE, LEFEBVRE, LEFEBVRE]);
    // Committed: every dispatch transaction that starts from here on sees the small tenant's calls.
    const visibleAt = new Date();
    const smallRecords = await waitAll(smallIds, 20_000);
    expect(smallRecords.every((r) => r.status === 'succeeded')).toBe(true);
    const queuedAt = Math.min(...smallRecords.map((r) => r.queuedAt.getTime()));
    // What the dispatcher decides, round by round (a round's calls share their dispatch time):
    // the round that picked its calls before the small tenant's were committed may still come
    // after `visibleAt`, but the next one takes a small call; from then on the tenants alternate —
    // at most one big call handed to BullMQ before each small one.
    const rounds = (await world.db.dataSource.query(
      `SELECT dispatched_at AS at, count(*) FILTER (WHERE tenant_id = $1)::int AS big, count(*) FILTER (WHERE tenant_id = $2)::int AS small
         FROM api_particulier_call WHERE tenant_id IN ($1, $2) AND dispatched_at > $3 GROUP BY dispatched_at ORDER BY dispatched_at`,
      [big.id, small.id, visibleAt],
    )) as { at: Date; big: number; small: number }[];
    const firstSmall = rounds.findIndex((r) => r.small > 0);
    const lastSmall = rounds.map((r) => r.small > 0).lastIndexOf(true);
    const bigBetween = rounds.slice(firstSmall, lastSmall).reduce((sum, r) => sum + r.big, 0);
    expect({ smallInTheFirstTwoRounds: firstSmall === 0 || firstSmall === 1, atMostOneBigBeforeEachSmall: bigBetween <= smallIds.length, rounds }).toEqual({
      smallInTheFirstTwoRounds: true,
      atMostOneBigBeforeEachSmall: true,
      rounds,
    });
    // What the small tenant lives: behind at most the calls already in BullMQ or running (the
    // window of waiting calls, concurrency = 4, and the 4 running: 8),
    // the alternation above (3), and the big calls that other worker slots start while its last call
    // is being picked up (concurrency − 1 = 3) — not behind the 120-call backlog.
    const lastSmallStart = Math.max(...smallRecords.map((r) => (r.startedAt as Date).getTime()));
    const [{ n: bigStartedMeanwhile }] = (await world.db.dataSource.query(
      `SELECT count(*)::int AS n FROM api_particulier_call WHERE tenant_id = $1 AND started_at > $2 AND started_at < $3`,
      [big.id, new Date(queuedAt), new Date(lastSmallStart)],
    )) as [{ n: number }];
    expect(bigStartedMeanwhile).toBeLessThanOrEqual(8 + 3 + 3);
    const bigRecords = await waitAll(bigIds, 60_000);
    expect(bigRecords.filter((r) => r.status !== 'succeeded')).toEqual([]);
  }, 90_000);
});

describe('the fair dispatcher, round after round', () => {
  let world: ApipWorld;

  beforeAll(async () => {
    // No worker: the test plays the worker's part (taking the jobs) itself, between rounds.
    world = await startApipWorld();
  }, 60_000);
  afterAll(() => world?.close());

  it('orders a round’s tenants by their last call in it', () => {
    expect(servedOrder([{ tenant_id: 'a' }, { tenant_id: 'b' }, { tenant_id: 'c' }, { tenant_id: 'a' }])).toEqual(['b', 'c', 'a']);
    expect(servedOrder([])).toEqual([]);
  });

  it('fills its window of waiting calls whatever runs, and rotates the extra calls of a round across the tenants', async () => {
    const tenants = [await world.tenant(), await world.tenant(), await world.tenant(), await world.tenant()];
    for (const t of tenants) await enqueueCalls(world, t, 30);
    // A window of 6 for 4 tenants: every round gives 2 calls to two tenants and 1 to the others.
    const dispatcher = new CallDispatcher(world.db.dataSource, world.apiInfrastructure.producer, { window: 6, maxAttempts: 4, retryBaseDelayMs: 200, reaperAfterMs: 3_600_000 });
    const dispatched: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      dispatched.push(await dispatcher.tick());
      // A worker takes the round's calls and holds them (a dead worker's calls, running until their lease ends, alike).
      await world.db.dataSource.query(`UPDATE api_particulier_call SET status = 'running', lease_until = now() + interval '1 hour' WHERE status = 'dispatched'`);
    }
    // Calls running take nothing from the window: 6 calls every round.
    expect(dispatched).toEqual(Array.from({ length: 10 }, () => 6));
    const shares = (await world.db.dataSource.query(`SELECT tenant_id, count(*)::int AS n FROM api_particulier_call WHERE status = 'running' GROUP BY tenant_id`)) as { tenant_id: string; n: number }[];
    const counts = tenants.map((t) => shares.find((s) => s.tenant_id === t.id)?.n ?? 0);
    // 60 calls for 4 tenants: 15 each, within one call (the same tenants taking the extra calls every round gave 20, 20, 10, 10).
    expect({ withinOne: Math.max(...counts) - Math.min(...counts) <= 1, counts }).toEqual({ withinOne: true, counts });
  }, 60_000);
});
