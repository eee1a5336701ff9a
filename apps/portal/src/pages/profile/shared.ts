import { nextTick } from 'vue';
import { ApiError, fallbackMessage } from '../../api';

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail ?? fallbackMessage(error.status);
  return fallbackMessage(0);
}

export function focusById(id: string): void {
  void nextTick(() => document.getElementById(id)?.focus());
}
