import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API Particulier's shared rate limits (`PgRateLimiter`, libs/api-particulier-calls/src/limiter.ts)
 * in one statement each: `fcplat_reserve` books a slot, `fcplat_depart` counts a call leaving.
 *
 * Both used to run as transactions of five to seven round trips (begin, create the rows, lock
 * them, read, write, commit) holding the row lock of the platform bucket — one row every call of
 * every worker goes through — from the lock to the commit. As functions, the lock is held for the
 * time the server takes to run them, not for round trips, and a departure is one round trip: the
 * call leaves sooner after it is counted (the limiter's margin needs that delay small and bounded),
 * and `fcplat_depart` says how long it waited before counting, so the caller can tell a fresh count
 * from a stale one, and which rows hold the count, so a stale one can be moved to a later instant.
 *
 * Arrays are per bucket, in the order of `p_keys`; both functions lock the rows in the order of
 * their keys (no deadlock between them). Instants are epoch milliseconds of the database's clock.
 */
export class RateLimitsInOneStatement1766100000000 implements MigrationInterface {
  name = 'RateLimitsInOneStatement1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION fcplat_reserve(p_keys text[], p_intervals_ms float8[], p_taus_ms float8[], p_max_wait_ms float8)
        RETURNS TABLE (granted boolean, wait_ms float8, at_ms float8, retry_ms float8, paused_by text)
        LANGUAGE plpgsql AS $$
      DECLARE
        v_now float8;
        v_slot float8;
        v_paused float8 := 0;
        v_paused_by text := NULL;
        v_tats float8[] := array_fill(NULL::float8, ARRAY[array_length(p_keys, 1)]);
        v_row record;
        v_i int;
      BEGIN
        INSERT INTO rate_limit_bucket (key) SELECT unnest(p_keys) ON CONFLICT (key) DO NOTHING;
        FOR v_row IN
          SELECT key, extract(epoch FROM tat)::float8 * 1000 AS tat_ms, extract(epoch FROM paused_until)::float8 * 1000 AS paused_ms
            FROM rate_limit_bucket WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE
        LOOP
          v_tats[array_position(p_keys, v_row.key)] := v_row.tat_ms;
          IF v_row.paused_ms IS NOT NULL AND v_row.paused_ms > v_paused THEN
            v_paused := v_row.paused_ms;
            v_paused_by := v_row.key;
          END IF;
        END LOOP;
        v_now := extract(epoch FROM clock_timestamp())::float8 * 1000;
        IF v_paused > v_now THEN
          RETURN QUERY SELECT false, 0::float8, 0::float8, ceil(v_paused - v_now), v_paused_by;
          RETURN;
        END IF;
        v_slot := v_now;
        FOR v_i IN 1 .. array_length(p_keys, 1) LOOP
          v_slot := greatest(v_slot, v_tats[v_i] - p_taus_ms[v_i]);
        END LOOP;
        IF v_slot - v_now > p_max_wait_ms THEN
          RETURN QUERY SELECT false, 0::float8, 0::float8, ceil(v_slot - v_now - p_max_wait_ms / 2), NULL::text;
          RETURN;
        END IF;
        FOR v_i IN 1 .. array_length(p_keys, 1) LOOP
          UPDATE rate_limit_bucket SET tat = to_timestamp((greatest(v_tats[v_i], v_slot) + p_intervals_ms[v_i]) / 1000), updated_at = now()
           WHERE key = p_keys[v_i];
        END LOOP;
        RETURN QUERY SELECT true, greatest(0, ceil(v_slot - v_now)), v_slot, 0::float8, NULL::text;
      END $$`);
    await q.query(`
      CREATE FUNCTION fcplat_depart(p_keys text[], p_caps int[], p_sizes int[], p_windows_ms float8[])
        RETURNS TABLE (departed boolean, retry_ms float8, paused_by text, before_count_ms float8, counted_at text, counted_rows text[])
        LANGUAGE plpgsql AS $$
      DECLARE
        v_now float8;
        v_at timestamptz;
        v_paused float8 := 0;
        v_paused_by text := NULL;
        v_wait float8 := 0;
        v_nth float8;
        v_free text[] := '{}';
        v_row record;
        v_i int;
      BEGIN
        INSERT INTO rate_limit_bucket (key) SELECT unnest(p_keys) ON CONFLICT (key) DO NOTHING;
        FOR v_row IN
          SELECT key, extract(epoch FROM paused_until)::float8 * 1000 AS paused_ms
            FROM rate_limit_bucket WHERE key = ANY (p_keys) ORDER BY key FOR UPDATE
        LOOP
          IF v_row.paused_ms IS NOT NULL AND v_row.paused_ms > v_paused THEN
            v_paused := v_row.paused_ms;
            v_paused_by := v_row.key;
          END IF;
        END LOOP;
        v_now := extract(epoch FROM clock_timestamp())::float8 * 1000;
        IF v_paused > v_now THEN
          RETURN QUERY SELECT false, ceil(v_paused - v_now), v_paused_by, 0::float8, NULL::text, NULL::text[];
          RETURN;
        END IF;
        FOR v_i IN 1 .. array_length(p_keys, 1) LOOP
          -- The log's rows <key>#0 .. <key>#(size - 1), created on the bucket's first departure.
          IF NOT EXISTS (SELECT 1 FROM rate_limit_bucket WHERE key = p_keys[v_i] || '#' || (p_sizes[v_i] - 1)) THEN
            INSERT INTO rate_limit_bucket (key, tat)
              SELECT p_keys[v_i] || '#' || g, '-infinity' FROM generate_series(0, p_sizes[v_i] - 1) g ON CONFLICT (key) DO NOTHING;
          END IF;
          -- The cap-th most recent departure must be a full window old (index rate_limit_bucket_departures).
          SELECT extract(epoch FROM tat)::float8 * 1000 INTO v_nth FROM rate_limit_bucket
           WHERE split_part(key, '#', 1) = p_keys[v_i] AND strpos(key, '#') > 0 ORDER BY tat DESC OFFSET p_caps[v_i] - 1 LIMIT 1;
          IF v_nth IS NOT NULL AND v_nth > v_now - p_windows_ms[v_i] THEN
            v_wait := greatest(v_wait, v_nth + p_windows_ms[v_i] - v_now);
          ELSE
            -- The oldest row is the one this departure overwrites.
            v_free := v_free || (SELECT key FROM rate_limit_bucket
                                  WHERE split_part(key, '#', 1) = p_keys[v_i] AND strpos(key, '#') > 0 ORDER BY tat LIMIT 1);
          END IF;
        END LOOP;
        IF v_wait > 0 THEN
          RETURN QUERY SELECT false, ceil(v_wait), NULL::text, 0::float8, NULL::text, NULL::text[];
          RETURN;
        END IF;
        -- The departure's instant, and how long after the statement began it was taken (waits for the lock included).
        v_at := clock_timestamp();
        UPDATE rate_limit_bucket SET tat = v_at, updated_at = now() WHERE key = ANY (v_free);
        RETURN QUERY SELECT true, 0::float8, NULL::text, extract(epoch FROM v_at - statement_timestamp())::float8 * 1000, v_at::text, v_free;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION fcplat_depart(text[], int[], int[], float8[])`);
    await q.query(`DROP FUNCTION fcplat_reserve(text[], float8[], float8[], float8)`);
  }
}
