import { createApp } from 'vue';
import { portalLocation } from './base';
import { App } from './components/App';
import { createPortalRouter } from './router';
import { loadPortal } from './session';
import { applyTheme } from './theme';
import './styles.css';

applyTheme();
const location = portalLocation();
await loadPortal(location.slug);
createApp(App).use(createPortalRouter(location.basePath)).mount('#app');
