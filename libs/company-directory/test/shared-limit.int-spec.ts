/**
 * The shared limit's count and the request's departure, against a server on a thread of its own
 * (its own event loop, so it sees the request arrive whatever this thread is doing): the upstream
 * counts arrivals, so the client takes the shared count on the open connection and writes the
 * request at once. Counted before connecting, a busy event loop between the count and the
 * connection's opening delayed the write past the window's margin (three API replicas under a full
 * test suite's load met the directory's 429s).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { CompanyDirectoryClient, type SharedLimit } from '@fcplat/company-directory';
import { CLAMART_SIRET } from './clamart.js';

/** Runs in the worker: answers every `/search` with no result, and notes the main thread's phase at each arrival. */
const SERVER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const phase = new Int32Array(workerData.phase);
const server = createServer((req, res) => {
  parentPort.postMessage({ arrival: Atomics.load(phase, 0) });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ results: [], total_results: 0, page: 1, per_page: 5, total_pages: 0 }));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;

/** The main thread's phase, as the server thread reads it: before, during and after a busy stretch. */
const BEFORE = 0;
const BUSY = 1;
const AFTER = 2;

describe('company directory: the shared count is taken on the open connection', () => {
  let worker: Worker;
  let url: string;
  let phase: Int32Array;
  const arrivals: number[] = [];

  beforeAll(async () => {
    phase = new Int32Array(new SharedArrayBuffer(4));
    worker = new Worker(SERVER, { eval: true, workerData: { phase: phase.buffer } });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: { port?: number; arrival?: number }) => {
        if (message.port !== undefined) resolve(message.port);
        if (message.arrival !== undefined) arrivals.push(message.arrival);
      });
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await worker.terminate();
  });

  it('writes the request before the event loop does anything else after the count', async () => {
    const counted: string[] = [];
    const shared: SharedLimit = {
      async tryDepart() {
        counted.push('counted');
        // Right after the count, this thread's event loop gets busy for a while (another request's
        // answer to parse, a garbage collection): the request must have left before it.
        setImmediate(() => {
          Atomics.store(phase, 0, BUSY);
          const until = Date.now() + 500;
          while (Date.now() < until) {
            // busy
          }
          Atomics.store(phase, 0, AFTER);
        });
        return { left: true };
      },
      pause: () => Promise.resolve(),
    };
    const client = new CompanyDirectoryClient({ baseUrl: url, sharedLimit: shared });
    Atomics.store(phase, 0, BEFORE);
    expect(await client.lookupSiret(CLAMART_SIRET)).toBeNull();
    for (let waited = 0; arrivals.length === 0 && waited < 2_000; waited += 10) await sleep(10);
    expect(counted).toEqual(['counted']);
    // It arrived while this thread was still busy (or before): it left right after its count.
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toBeLessThan(AFTER);
  });

  it('waits on the open connection while the shared window is full, and counts again', async () => {
    arrivals.length = 0;
    let tries = 0;
    const shared: SharedLimit = {
      async tryDepart() {
        tries += 1;
        return tries < 3 ? { left: false, retryInMs: 30 } : { left: true };
      },
      pause: () => Promise.resolve(),
    };
    const client = new CompanyDirectoryClient({ baseUrl: url, sharedLimit: shared });
    expect(await client.lookupSiret(CLAMART_SIRET)).toBeNull();
    expect(tries).toBe(3);
    for (let waited = 0; arrivals.length === 0 && waited < 2_000; waited += 10) await sleep(10);
    expect(arrivals).toHaveLength(1);
  });

  it('stops asking the shared limit once the call timed out while it waited', async () => {
    let tries = 0;
    const shared: SharedLimit = {
      async tryDepart() {
        tries += 1;
        return { left: false, retryInMs: 30 };
      },
      pause: () => Promise.resolve(),
    };
    const client = new CompanyDirectoryClient({ baseUrl: url, sharedLimit: shared, timeoutMs: 150, retry: { maxAttempts: 1 } });
    const error = await client.lookupSiret(CLAMART_SIRET).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    const after = tries;
    expect(after).toBeGreaterThan(1);
    await sleep(200);
    expect(tries).toBe(after);
  });
});
