/**
 * The worker's sweep of expired citizen sessions (taken off the login path, issue 15): expired
 * rows go, by idle or absolute deadline, in bounded batches; live sessions stay.
 */
import { makeCitizen, makeCitizenSession, makeTenant, scratchMigratedDatabase, type ScratchDatabase } from '@fcplat/testing';
import { sweepExpiredCitizenSessions } from '../src/sweeper.js';

describe('expired citizen sessions sweep', () => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await scratchMigratedDatabase();
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it('deletes sessions past their idle or absolute deadline, in batches, and keeps live ones', async () => {
    const ds = scratch.dataSource;
    const tenant = await makeTenant(ds);
    const citizen = await makeCitizen(ds, tenant.id);
    const past = new Date(Date.now() - 60_000);
    for (let i = 0; i < 3; i += 1) await makeCitizenSession(ds, citizen, { idleExpiresAt: past });
    for (let i = 0; i < 2; i += 1) await makeCitizenSession(ds, citizen, { absoluteExpiresAt: past, idleExpiresAt: past });
    const live = await makeCitizenSession(ds, citizen);
    const remaining = async (): Promise<number> => Number(((await ds.query(`SELECT count(*)::int AS n FROM citizen_session`)) as { n: number }[])[0]?.n);
    expect(await remaining()).toBe(6);

    expect(await sweepExpiredCitizenSessions(ds, 4)).toBe(4);
    expect(await sweepExpiredCitizenSessions(ds, 4)).toBe(1);
    expect(await sweepExpiredCitizenSessions(ds, 4)).toBe(0);
    expect(await remaining()).toBe(1);
    const [kept] = (await ds.query(`SELECT idle_expires_at > now() AS live FROM citizen_session`)) as { live: boolean }[];
    expect(kept?.live).toBe(true);
    expect(live).toContain('=');
  });
});
