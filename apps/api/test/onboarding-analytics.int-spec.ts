/**
 * Pipeline analytics (`GET /api/onboarding/analytics`) on a scratch database of its own (the counts
 * are exact, so no other test's cases may be there): a handful of cases whose stage changes are at
 * dates built with the domain's `addWorkingDays`, hence of known lengths in working days, give known
 * funnel counts, medians, 90th percentiles and shares of deadlines met, overall and per assignee.
 * Also: each stay's stored measures are the domain's (public holidays included) and written once,
 * the access rules are the pipeline's, and the number of statements does not grow with the cases.
 */
import { ONBOARDING_STAGES, addWorkingDays, fromDayNumber, parisCalendarDate, toDayNumber, workingDaysBetween, type CalendarDate, type OnboardingStage } from '@fcplat/domain';
import { LogCapture, makeClientAdmin, makeStaff, makeTenant, startPgStatementCounter, writeStageHistory } from '@fcplat/testing';
import type { PipelineAnalytics } from '@fcplat/contract';
import { callJson, withOtherApi, withScratchDataSource } from './api-harness.js';

const daysAgo = (today: CalendarDate, n: number): CalendarDate => fromDayNumber(toDayNumber(today) - n);

/** percentile_cont of sorted values (PostgreSQL's linear interpolation), one decimal as the API answers. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const value = (sorted[low] as number) + (position - low) * ((sorted[high] as number) - (sorted[low] as number));
  return Math.round(value * 10) / 10;
}

describe('pipeline analytics (scratch database)', () => {
  const logs = new LogCapture();

  it('counts the funnel, the working days per stage and the deadlines met, overall and per assignee, as the domain defines them', async () => {
    await withScratchDataSource('fcplat-test-onboarding-analytics', async (ds, url) => {
      const agentA = await makeStaff(ds, 'onboarding_agent', { displayName: 'Alice Martin' });
      const agentB = await makeStaff(ds, 'onboarding_agent', { displayName: 'Bruno Petit' });
      const reader = await makeStaff(ds, 'read_only', { displayName: 'Lecture Seule' });
      const tenants = await Promise.all([1, 2, 3, 4, 5, 6].map(() => makeTenant(ds)));
      const [t1, t2, t3, t4, t5, t6] = tenants.map((t) => t.id) as [string, string, string, string, string, string];
      const clientAdmin = await makeClientAdmin(ds, t1);

      const today = parisCalendarDate(new Date());
      const d0 = daysAgo(today, 80); // within the 90-day window (its first day is today − 89)
      const wd = (n: number): CalendarDate => addWorkingDays(d0, n);
      // T1 (Alice): created 2 wd (met), habilitations requested 4 wd (met); at « habilitations validated »
      // for about 70 days: overdue, its first overdue day within the window (a missed deadline).
      await writeStageHistory(ds, t1, agentA.user.id, [
        { to: 'created', on: d0 },
        { to: 'habilitations_requested', on: wd(2) },
        { to: 'habilitations_validated', on: wd(6) },
      ]);
      // T2 (Alice): created 12 wd (SLA 10: missed, overdue from wd 11 within the window), then 5, 3 and 2 wd (met), live.
      await writeStageHistory(ds, t2, agentA.user.id, [
        { to: 'created', on: d0 },
        { to: 'habilitations_requested', on: wd(12) },
        { to: 'habilitations_validated', on: wd(17) },
        { to: 'integration_credentials_received', on: wd(20) },
        { to: 'live', on: wd(22) },
      ]);
      // T3 (Bruno): created 7 wd (met); at « habilitations requested » since wd 7: overdue within the window.
      await writeStageHistory(ds, t3, agentB.user.id, [
        { to: 'created', on: d0 },
        { to: 'habilitations_requested', on: wd(7) },
      ]);
      // T4 (nobody): created 200 days ago, left « created » 85 days ago: a stay of L working days, counted in
      // the durations, but its deadline was missed before the window (settled then, not now); at
      // « habilitations requested » since: overdue within the window.
      const old = daysAgo(today, 200);
      const left = daysAgo(today, 85);
      const long = workingDaysBetween(old, left);
      await writeStageHistory(ds, t4, null, [
        { to: 'created', on: old },
        { to: 'habilitations_requested', on: left },
      ]);
      // T5 (Bruno): opened yesterday, nothing ended. T6 (Alice): everything happened before the window, live.
      await writeStageHistory(ds, t5, agentB.user.id, [{ to: 'created', on: daysAgo(today, 1) }]);
      await writeStageHistory(ds, t6, agentA.user.id, [
        { to: 'created', on: daysAgo(today, 300) },
        { to: 'habilitations_requested', on: daysAgo(today, 200) },
        { to: 'live', on: daysAgo(today, 150) },
      ]);

      const counter = await startPgStatementCounter(url);
      try {
        await withOtherApi({ DATABASE_URL: counter.url }, { heartbeat: false, logDestination: logs }, async (api) => {
          const before = counter.count();
          const reply = await callJson(api.url, 'GET', '/api/onboarding/analytics', { authorization: reader.authorization });
          const statementsFirst = counter.count() - before;
          expect(reply.status).toBe(200);
          const body = reply.body as unknown as PipelineAnalytics;

          expect(body.window).toEqual({ days: 90, from: daysAgo(today, 89), to: today });

          // Funnel: now T5 at created, T3 and T4 at habilitations requested, T1 at validated, T2 and T6 live.
          const funnel = Object.fromEntries(body.funnel.map((s) => [s.stage, [s.current, s.passed]]));
          expect(funnel).toEqual({
            created: [1, 5],
            habilitations_requested: [2, 3],
            habilitations_validated: [1, 2],
            integration_credentials_received: [0, 2],
            internal_check: [0, 2],
            qualification_requested: [0, 2],
            changes_requested: [0, null],
            qualified: [0, 2],
            production_requested: [0, 2],
            production_credentials_received: [0, 2],
            live: [2, 0],
          });
          expect(body.funnel.map((s) => s.stage)).toEqual([...ONBOARDING_STAGES]);
          expect(body.funnel[0]?.label).toBe('Client créé');

          const stage = (s: OnboardingStage) => body.stages.find((x) => x.stage === s);
          expect(stage('created')).toEqual({
            stage: 'created',
            label: 'Client créé',
            slaWorkingDays: 10,
            stays: 4,
            medianWorkingDays: 9.5, // 2, 7, 12, L
            p90WorkingDays: percentile([2, 7, 12, long], 0.9),
            deadlines: { met: 2, missed: 1, share: 2 / 3 },
          });
          expect(stage('habilitations_requested')).toMatchObject({
            stays: 2,
            medianWorkingDays: 4.5,
            p90WorkingDays: 4.9,
            // 4 and 5 met; T3 and T4 overdue now, both since a day within the window.
            deadlines: { met: 2, missed: 2, share: 0.5 },
          });
          expect(stage('habilitations_validated')).toMatchObject({ stays: 1, medianWorkingDays: 3, p90WorkingDays: 3, deadlines: { met: 1, missed: 1, share: 0.5 } });
          expect(stage('integration_credentials_received')).toMatchObject({ stays: 1, medianWorkingDays: 2, deadlines: { met: 1, missed: 0, share: 1 } });
          expect(stage('qualified')).toMatchObject({ stays: 0, medianWorkingDays: null, p90WorkingDays: null, deadlines: { met: 0, missed: 0, share: null } });
          expect(stage('live')).toMatchObject({ slaWorkingDays: null, stays: 0 });

          expect(body.overall).toEqual({
            activeCases: 4,
            overdueCases: 3,
            stays: 8,
            medianWorkingDays: 4.5, // 2, 2, 3, 4, 5, 7, 12, L
            p90WorkingDays: percentile([2, 2, 3, 4, 5, 7, 12, long], 0.9),
            deadlines: { met: 6, missed: 4, share: 0.6 },
          });

          // Per assignee: named staff by name, the unassigned cases last; the reader has no case and is absent.
          expect(body.assignees).toEqual([
            {
              assignee: { id: agentA.user.id, displayName: 'Alice Martin' },
              activeCases: 1,
              overdueCases: 1,
              stays: 6,
              medianWorkingDays: 3.5, // 2, 2, 3, 4, 5, 12
              p90WorkingDays: 8.5,
              deadlines: { met: 5, missed: 2, share: 5 / 7 },
            },
            {
              assignee: { id: agentB.user.id, displayName: 'Bruno Petit' },
              activeCases: 2,
              overdueCases: 1,
              stays: 1,
              medianWorkingDays: 7,
              p90WorkingDays: 7,
              deadlines: { met: 1, missed: 1, share: 0.5 },
            },
            { assignee: null, activeCases: 1, overdueCases: 1, stays: 1, medianWorkingDays: long, p90WorkingDays: long, deadlines: { met: 0, missed: 1, share: 0 } },
          ]);

          // Access: the pipeline's rules (every staff role reads; a client administrator never sees other tenants).
          expect((await callJson(api.url, 'GET', '/api/onboarding/analytics', { authorization: agentA.authorization })).status).toBe(200);
          const refused = await callJson(api.url, 'GET', '/api/onboarding/analytics', { cookie: clientAdmin.cookie });
          expect(refused.status).toBe(403);
          expect(refused.body).not.toHaveProperty('funnel');
          expect((await callJson(api.url, 'GET', '/api/onboarding/analytics', { authorization: 'Bearer fcp_nope' })).status).toBe(401);

          // The statements do not grow with the cases: 40 more cases with stays in the window, same count.
          for (const extra of await Promise.all(Array.from({ length: 40 }, () => makeTenant(ds)))) {
            await writeStageHistory(ds, extra.id, agentB.user.id, [
              { to: 'created', on: d0 },
              { to: 'habilitations_requested', on: wd(3) },
            ]);
          }
          const mark = counter.count();
          const again = await callJson(api.url, 'GET', '/api/onboarding/analytics', { authorization: reader.authorization });
          expect(again.status).toBe(200);
          expect((again.body as unknown as PipelineAnalytics).overall.stays).toBe(8 + 40);
          // The first call above already included the timing refresh; this one refreshes the 40 new cases.
          expect(counter.count() - mark).toBeLessThanOrEqual(statementsFirst);
        });
      } finally {
        await counter.close();
      }
    });
  });

  it('stores each stay’s measures as the domain computes them (public holidays included), once, and keeps the history append-only otherwise', async () => {
    await withScratchDataSource('fcplat-test-onboarding-analytics-stays', async (ds, url) => {
      const staff = await makeStaff(ds, 'read_only');
      const tenant = await makeTenant(ds);
      // Around 1 May, 8 May and Ascension 2026 (and a stay written before any measure existed).
      const moves = [
        { to: 'created', on: '2026-04-24' },
        { to: 'habilitations_requested', on: '2026-04-30' },
        { to: 'habilitations_validated', on: '2026-05-12' },
        { to: 'integration_credentials_received', on: '2026-05-19' },
        { to: 'live', on: '2026-05-26' },
      ] as const;
      await writeStageHistory(ds, tenant.id, null, moves);
      await withOtherApi({ DATABASE_URL: url }, { heartbeat: false, logDestination: logs }, async (api) => {
        expect((await callJson(api.url, 'GET', '/api/onboarding/analytics', { authorization: staff.authorization })).status).toBe(200);
      });
      const rows: { from_stage: string | null; stay_started_at: Date | null; stay_working_days: number | null; stay_overdue_on: string | null; stay_met: boolean | null }[] =
        await ds.query(
          `SELECT from_stage, stay_started_at, stay_working_days, stay_overdue_on::text AS stay_overdue_on, stay_met
             FROM onboarding_stage_change WHERE tenant_id = $1 ORDER BY occurred_at`,
          [tenant.id],
        );
      expect(rows.map((r) => [r.from_stage, r.stay_working_days, r.stay_overdue_on, r.stay_met])).toEqual([
        [null, null, null, null],
        // 24 → 30 April: 4 working days (SLA 10: the 11th working day, 1 and 8 May skipped, is 13 May).
        ['created', 4, '2026-05-13', true],
        // 30 April → 12 May: 1 and 8 May are holidays: 6 working days (SLA 15: overdue on the 16th, 14 and 25 May skipped).
        ['habilitations_requested', 6, '2026-05-28', true],
        // 12 → 19 May: Ascension (14 May): 4 working days (SLA 5: overdue on the 6th, 21 May).
        ['habilitations_validated', 4, '2026-05-21', true],
        // 19 → 26 May: Whit Monday (25 May): 4 working days (SLA 5: overdue on 28 May).
        ['integration_credentials_received', 4, '2026-05-28', true],
      ]);
      for (const [index, row] of rows.entries()) {
        if (index === 0) continue;
        expect(row.stay_working_days).toBe(workingDaysBetween(moves[index - 1]?.on as string, moves[index]?.on as string));
        expect(row.stay_started_at?.toISOString()).toBe(new Date(`${moves[index - 1]?.on}T09:00:00Z`).toISOString());
      }
      // Measured once: the history refuses any other change, a second measure included.
      await expect(ds.query(`UPDATE onboarding_stage_change SET reason = 'x' WHERE tenant_id = $1`, [tenant.id])).rejects.toThrow(/append-only/);
      await expect(ds.query(`UPDATE onboarding_stage_change SET stay_working_days = 99 WHERE tenant_id = $1 AND from_stage IS NOT NULL`, [tenant.id])).rejects.toThrow(/append-only/);
      await expect(ds.query(`UPDATE onboarding_stage_change SET stay_working_days = 1, reason = 'x' WHERE tenant_id = $1 AND from_stage IS NULL`, [tenant.id])).rejects.toThrow(/append-only/);
    });
  });
});
