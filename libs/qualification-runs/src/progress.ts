/**
 * Progress of a run, written one UPDATE at a time and in order. The robot reports a step, then the
 * next one a millisecond later (TLS on plain http is instant): fired concurrently on a connection
 * pool, the two UPDATEs could commit in the opposite order and leave the console showing a step
 * that is over. Steps reported while a write is under way are coalesced: only the latest is written.
 */
export interface ProgressWriter {
  report(done: number, total: number, label: string): void;
  /** Resolves once every reported step is written (or its write failed: progress is best effort). */
  flush(): Promise<void>;
}

export function serialProgress(write: (done: number, total: number, label: string) => Promise<void>): ProgressWriter {
  let pending: [number, number, string] | null = null;
  let writing: Promise<void> | null = null;
  const drain = async (): Promise<void> => {
    while (pending) {
      const [done, total, label] = pending;
      pending = null;
      await write(done, total, label).catch(() => undefined);
    }
    writing = null;
  };
  return {
    report(done, total, label) {
      pending = [done, total, label];
      writing ??= drain();
    },
    flush() {
      return writing ?? Promise.resolve();
    },
  };
}
