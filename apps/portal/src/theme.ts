import { computed, ref } from 'vue';

/**
 * Light and dark themes: the system preference (`prefers-color-scheme`) by default, and the
 * reader's explicit choice, kept in localStorage, over it. CSS does the work
 * (`<html data-theme>` beats the media query); this module only records and applies the choice.
 */
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'fcplat-portal-theme';

const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const systemTheme = ref<Theme>(media?.matches ? 'dark' : 'light');
const chosenTheme = ref<Theme | null>(readStoredTheme());

media?.addEventListener('change', (event) => {
  systemTheme.value = event.matches ? 'dark' : 'light';
});

/** The theme in effect. */
export const currentTheme = computed<Theme>(() => chosenTheme.value ?? systemTheme.value);

function readStoredTheme(): Theme | null {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : null;
  } catch {
    return null;
  }
}

/** Applies the stored choice to <html> (called before the first render). */
export function applyTheme(): void {
  const root = document.documentElement;
  if (chosenTheme.value) root.dataset['theme'] = chosenTheme.value;
  else delete root.dataset['theme'];
}

export function chooseTheme(theme: Theme): void {
  chosenTheme.value = theme;
  try {
    window.localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage refused (private browsing): the choice holds for this page only.
  }
  applyTheme();
}

export function toggleTheme(): void {
  chooseTheme(currentTheme.value === 'dark' ? 'light' : 'dark');
}
