import { OutboundAbortedError, OutboundRateLimitQueueFullError } from './errors.js';
import { RateLimiter } from './rate-limiter.js';
import { performance } from 'node:perf_hooks';

describe('RateLimiter', () => {
  it('grants `limit` permits per window, in FIFO order', async () => {
    const limiter = new RateLimiter({ limit: 3, intervalMs: 100 });
    const order: number[] = [];
    const times: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter.acquire().then(() => {
          order.push(i);
          times.push(performance.now() - start);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // At 3 per 100 ms, permit i cannot be granted before floor(i / 3) * 100 ms. Lower bounds only:
    // a loaded machine can delay a grant's callback, never bring it forward.
    times.forEach((t, i) => expect({ i, early: t < Math.floor(i / 3) * 100 - 1 }).toEqual({ i, early: false }));
  });

  it('never lets a newcomer overtake a queued caller', async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 50 });
    const order: string[] = [];
    await limiter.acquire();
    const first = limiter.acquire().then(() => order.push('queued'));
    await new Promise((r) => setTimeout(r, 60));
    const second = limiter.acquire().then(() => order.push('newcomer'));
    await Promise.all([first, second]);
    expect(order).toEqual(['queued', 'newcomer']);
  });

  it('rejects at once when the wait queue is full', async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 40, maxQueue: 2 });
    await limiter.acquire();
    const waiting = [limiter.acquire(), limiter.acquire()];
    expect(limiter.pending).toBe(2);
    await expect(limiter.acquire()).rejects.toBeInstanceOf(OutboundRateLimitQueueFullError);
    await Promise.all(waiting);
    expect(limiter.pending).toBe(0);
  });

  it('removes an aborted waiter from the queue', async () => {
    const limiter = new RateLimiter({ limit: 1, intervalMs: 80 });
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(OutboundAbortedError);
    expect(limiter.pending).toBe(1);
    await next;
    expect(limiter.pending).toBe(0);
  });

  it('pauseFor holds every grant until the pause is over', async () => {
    const limiter = new RateLimiter({ limit: 10, intervalMs: 1000 });
    const start = performance.now();
    limiter.pauseFor(120);
    await limiter.acquire();
    expect(performance.now() - start).toBeGreaterThanOrEqual(115);
  });
});
