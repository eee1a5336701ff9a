import PrimeVue from 'primevue/config';
import { createApp } from 'vue';
import { App } from './components/App';
import { createConsoleRouter } from './router';
import { isChunkLoadError, watchReleaseChanges } from './state/release';
import { loadSession, watchSessionExpiry } from './state/session';
import { consolePreset, FRENCH_LOCALE } from './theme';
import './styles.css';

watchReleaseChanges();
await loadSession();
const router = createConsoleRouter();
watchSessionExpiry(() => {
  const current = router.currentRoute.value;
  void router.push({ name: 'login', query: current.meta.public ? {} : { retour: current.fullPath } });
});
const app = createApp(App);
app.config.errorHandler = (error, _instance, info) => {
  // A chunk of the previous release: already handled (the page is loaded again, or a notice says to).
  if (isChunkLoadError(error)) return;
  // Anything else: Vue's own behaviour in production, reported in the browser's console.
  // eslint-disable-next-line no-console
  console.error(error, info);
};
app
  .use(PrimeVue, {
    // Styled mode: PrimeVue writes its CSS variables and component styles into <style> elements,
    // which the API's policy allows (`style-src 'self' https: 'unsafe-inline'`); no script is inline.
    theme: { preset: consolePreset, options: { darkModeSelector: '.console-dark-theme', cssLayer: false } },
    locale: FRENCH_LOCALE,
    ripple: false,
  })
  .use(router)
  .mount('#app');
