import { OutboundHttpStatusError, OutboundNetworkError, OutboundAbortedError, OutboundTlsError } from './errors.js';
import { backoffDelay, retry, type RetryEvent } from './retry.js';

/** Records the pauses instead of sleeping. */
function recorder(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

const T = 'GET https://upstream.test/x';

describe('retry', () => {
  it('retries 5xx and network errors with full-jitter backoff, then succeeds', async () => {
    const { sleeps, sleep } = recorder();
    const failures = [new OutboundHttpStatusError(T, 502), new OutboundNetworkError(T, 'ECONNRESET')];
    const attempts: number[] = [];
    const result = await retry(
      async ({ attempt }) => {
        attempts.push(attempt);
        const failure = failures.shift();
        if (failure) throw failure;
        return 'ok';
      },
      { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5, sleep },
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([50, 100]);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    const { sleeps, sleep } = recorder();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new OutboundHttpStatusError(T, 503);
        },
        { maxAttempts: 3, sleep },
      ),
    ).rejects.toMatchObject({ code: 'OUTBOUND_HTTP_STATUS', status: 503 });
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 422])('never retries a final %i', async (status) => {
    let calls = 0;
    await expect(
      retry(async () => {
        calls += 1;
        throw new OutboundHttpStatusError(T, status);
      }),
    ).rejects.toMatchObject({ status });
    expect(calls).toBe(1);
  });

  it('never retries a TLS failure or an unknown error', async () => {
    let calls = 0;
    const op = async (): Promise<never> => {
      calls += 1;
      throw calls === 1 ? new OutboundTlsError(T, 'CERT_HAS_EXPIRED') : new Error('boom');
    };
    await expect(retry(op)).rejects.toMatchObject({ code: 'OUTBOUND_TLS_ERROR' });
    await expect(retry(op)).rejects.toThrow('boom');
    expect(calls).toBe(2);
  });

  it('waits Retry-After on 429 without consuming an attempt', async () => {
    const { sleeps, sleep } = recorder();
    const events: RetryEvent[] = [];
    const script = [
      new OutboundHttpStatusError(T, 429, 2000),
      new OutboundHttpStatusError(T, 429, 1000),
      new OutboundHttpStatusError(T, 500),
      new OutboundHttpStatusError(T, 429),
    ];
    const seen: Array<[number, number]> = [];
    const result = await retry(
      async ({ attempt, rateLimitWaits }) => {
        seen.push([attempt, rateLimitWaits]);
        const failure = script.shift();
        if (failure) throw failure;
        return 42;
      },
      { maxAttempts: 2, maxRateLimitWaits: 3, random: () => 0, sleep, onRetry: (e) => events.push(e) },
    );
    expect(result).toBe(42);
    expect(seen).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 3],
    ]);
    // Retry-After honoured, 5xx backoff (jitter 0), 429 without header → fallback 1 s.
    expect(sleeps).toEqual([2000, 1000, 0, 1000]);
    expect(events.map((e) => e.reason)).toEqual(['rate_limited', 'rate_limited', 'retryable_error', 'rate_limited']);
  });

  it('honours Retry-After on 503 and refuses to wait longer than maxRetryAfterMs', async () => {
    const { sleeps, sleep } = recorder();
    let calls = 0;
    await retry(
      async () => {
        calls += 1;
        if (calls === 1) throw new OutboundHttpStatusError(T, 503, 1500);
        return true;
      },
      { sleep },
    );
    expect(sleeps).toEqual([1500]);

    await expect(
      retry(
        async () => {
          throw new OutboundHttpStatusError(T, 429, 12 * 3600 * 1000);
        },
        { sleep, maxRetryAfterMs: 60_000 },
      ),
    ).rejects.toMatchObject({ status: 429 });
    expect(sleeps).toEqual([1500]);
  });

  it('stops waiting when the signal fires', async () => {
    const controller = new AbortController();
    const pending = retry(
      async () => {
        throw new OutboundHttpStatusError(T, 429, 30_000);
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(OutboundAbortedError);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by the jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 100, 1000, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
  });
});
