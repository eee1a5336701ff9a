/**
 * A graceful stop with a deadline: `stop()` runs (answer open requests, finish running jobs, close
 * connections), and the outcome is `late` when it has not settled `deadlineMs` later, for the
 * process to say what it leaves and exit instead of hanging until the orchestrator kills it
 * without a word. A `stop()` that rejects rejects here too.
 */
export async function stopWithDeadline(stop: () => Promise<void>, deadlineMs: number): Promise<'stopped' | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  try {
    return await Promise.race([stop().then(() => 'stopped' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
