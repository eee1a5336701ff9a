/**
 * Where the focus goes after an in-app navigation (screen readers announce the new heading;
 * keyboard users continue from the new content). The router asks, and the heading that appears
 * takes it when it is mounted: sections of a client's file are loaded asynchronously, so their
 * heading may appear after the navigation has finished.
 */
export type FocusTarget = 'page' | 'section';

let pending: FocusTarget | null = null;

export function requestFocus(target: FocusTarget | null): void {
  pending = target;
}

/** True once for the heading of the requested kind. */
export function takeFocusRequest(target: FocusTarget): boolean {
  if (pending !== target) return false;
  pending = null;
  return true;
}
