import { nextTick, reactive, ref } from 'vue';
import { ApiError, type Problem } from '../api/client';

/**
 * The state of one form: busy while its call runs, the problem of a refusal (shown above the
 * form, focused), field messages from the answer's `violations` (shown next to the fields) or
 * from checks made before the call, and the confirmation of a success (a polite status).
 * A field `a.b` is the element `<fieldIdPrefix>a-b`.
 */
export function useFormState(problemElementId: string, fieldIdPrefix = '') {
  const errors = reactive<Record<string, string | undefined>>({});
  const problem = ref<Problem | null>(null);
  const done = ref<string | null>(null);
  const busy = ref(false);

  function clear(): void {
    for (const key of Object.keys(errors)) errors[key] = undefined;
    problem.value = null;
    done.value = null;
  }

  /** Focuses the first field in error, after checks made before calling the API. */
  async function focusFirstError(order: readonly string[]): Promise<boolean> {
    const first = order.find((field) => errors[field]);
    if (!first) return false;
    await nextTick();
    document.getElementById(`${fieldIdPrefix}${first.replace(/\./g, '-')}`)?.focus();
    return true;
  }

  /** Runs the call; its result is the confirmation to announce (or null). Never throws. */
  async function run(action: () => Promise<string | null>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    problem.value = null;
    done.value = null;
    try {
      done.value = await action();
      return true;
    } catch (error) {
      problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
      if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
      await nextTick();
      document.getElementById(problemElementId)?.focus();
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { errors, problem, done, busy, clear, run, focusFirstError };
}
