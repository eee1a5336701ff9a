import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-IP ceiling learnt from API Particulier's answers (issue 14) gets columns of its own on
 * the platform bucket's row (`apip:ip`) of `rate_limit_bucket`, instead of a `learnt:<n>:<source>`
 * string in `pause_reason` of a row `apip:ip:learnt-ceiling`: `learnt_limit` (calls per minute),
 * `learnt_source` (what taught it: `RateLimit-Limit`, `429`) and `learnt_at`. A ceiling already
 * learnt is moved over; `down` moves it back.
 *
 * With it, an index on the departure logs (rows `<bucket>#<i>`, limiter.ts): by bucket, then
 * instant. Finding a log's oldest and its n-th most recent departure read thousands of rows by key
 * and sorted them at every call (the per-IP log of 3000/min has 2850 rows): under load, about a
 * third of the platform's allowed rate.
 */
export class LearntIpCeiling1765200000000 implements MigrationInterface {
  name = 'LearntIpCeiling1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_limit_bucket ADD COLUMN learnt_limit integer NULL CHECK (learnt_limit >= 1)`);
    await q.query(`ALTER TABLE rate_limit_bucket ADD COLUMN learnt_source text NULL CHECK (length(learnt_source) <= 100)`);
    await q.query(`ALTER TABLE rate_limit_bucket ADD COLUMN learnt_at timestamptz NULL`);
    await q.query(`ALTER TABLE rate_limit_bucket ADD CONSTRAINT rate_limit_bucket_learnt_whole CHECK ((learnt_limit IS NULL) = (learnt_at IS NULL))`);
    await q.query(`
      INSERT INTO rate_limit_bucket (key, tat, learnt_limit, learnt_source, learnt_at)
      SELECT 'apip:ip', '-infinity', substring(pause_reason FROM '^learnt:([0-9]{1,9}):')::int,
             left(substring(pause_reason FROM '^learnt:[0-9]{1,9}:(.*)$'), 100), updated_at
        FROM rate_limit_bucket WHERE key = 'apip:ip:learnt-ceiling' AND pause_reason ~ '^learnt:[0-9]{1,9}:'
      ON CONFLICT (key) DO UPDATE SET learnt_limit = EXCLUDED.learnt_limit, learnt_source = EXCLUDED.learnt_source, learnt_at = EXCLUDED.learnt_at`);
    await q.query(`DELETE FROM rate_limit_bucket WHERE key = 'apip:ip:learnt-ceiling'`);
    await q.query(`CREATE INDEX rate_limit_bucket_departures ON rate_limit_bucket (split_part(key, '#', 1), tat) WHERE strpos(key, '#') > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rate_limit_bucket_departures`);
    await q.query(`
      INSERT INTO rate_limit_bucket (key, tat, pause_reason, updated_at)
      SELECT 'apip:ip:learnt-ceiling', '-infinity', left('learnt:' || learnt_limit || ':' || coalesce(learnt_source, ''), 200), learnt_at
        FROM rate_limit_bucket WHERE key = 'apip:ip' AND learnt_limit IS NOT NULL
      ON CONFLICT (key) DO UPDATE SET pause_reason = EXCLUDED.pause_reason, updated_at = EXCLUDED.updated_at`);
    await q.query(`ALTER TABLE rate_limit_bucket DROP CONSTRAINT rate_limit_bucket_learnt_whole`);
    await q.query(`ALTER TABLE rate_limit_bucket DROP COLUMN learnt_at`);
    await q.query(`ALTER TABLE rate_limit_bucket DROP COLUMN learnt_source`);
    await q.query(`ALTER TABLE rate_limit_bucket DROP COLUMN learnt_limit`);
  }
}
