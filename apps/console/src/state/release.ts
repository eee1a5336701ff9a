import { ref } from 'vue';

/**
 * Each page and client section is its own chunk, loaded when first shown. After a deployment the
 * previous release's chunks are gone (404) while an open tab still runs the previous release:
 * loading such a chunk fails. The console then loads the page from the server again (the new
 * release), once per page, and otherwise tells the user to reload.
 */
export const newReleaseAvailable = ref(false);

/** Chromium, Firefox and Safari's messages for a failed `import()`, and Vite's for a failed preload. */
const CHUNK_LOAD_ERROR = /dynamically imported module|Importing a module script failed|Unable to preload CSS/i;

export function isChunkLoadError(error: unknown): boolean {
  return error instanceof Error && CHUNK_LOAD_ERROR.test(error.message);
}

const RELOADED_KEY = 'fcplat-console:reloaded-for-release';

/**
 * Loads `href` afresh from the server, unless this tab's last such reload was for that very page
 * (the chunk is then really missing, not replaced: no reload loop): returns false, and the notice
 * asks the user to reload.
 */
export function reloadForNewRelease(href: string): boolean {
  newReleaseAvailable.value = true;
  if (sessionStorage.getItem(RELOADED_KEY) === href) return false;
  sessionStorage.setItem(RELOADED_KEY, href);
  window.location.assign(href);
  return true;
}

/** Vite reports the chunks it failed to preload; the import itself then fails and is handled where it was made. */
export function watchReleaseChanges(): void {
  window.addEventListener('vite:preloadError', () => {
    newReleaseAvailable.value = true;
  });
}
