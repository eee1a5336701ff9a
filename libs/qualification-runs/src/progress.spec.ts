import { serialProgress } from './progress.js';

describe('serialProgress', () => {
  it('writes one step at a time, in order, and ends on the last step reported', async () => {
    const written: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    // The first write is the slowest: fired concurrently, it would land last.
    const delays = [30, 1, 1, 1];
    const progress = serialProgress(async (_done, _total, label) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delays.shift() ?? 1));
      written.push(label);
      inFlight -= 1;
    });
    progress.report(0, 3, 'Pages');
    progress.report(1, 3, 'Versions de TLS');
    progress.report(2, 3, 'Parcours');
    await progress.flush();
    expect(maxInFlight).toBe(1);
    // « Versions de TLS » was superseded while « Pages » was being written.
    expect(written).toEqual(['Pages', 'Parcours']);
    progress.report(3, 3, 'Terminé');
    await progress.flush();
    expect(written.at(-1)).toBe('Terminé');
  });

  it('goes on after a failed write', async () => {
    const written: string[] = [];
    let first = true;
    const progress = serialProgress(async (_done, _total, label) => {
      if (first) {
        first = false;
        throw new Error('connection lost');
      }
      written.push(label);
    });
    progress.report(0, 2, 'a');
    await progress.flush();
    progress.report(1, 2, 'b');
    await progress.flush();
    expect(written).toEqual(['b']);
  });
});
