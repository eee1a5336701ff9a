import { baseHandler, type SandboxService } from '../http.js';

/** Stand-in for API Particulier v3 (routes come with the API Particulier issue). */
export function apiParticulierService(): SandboxService {
  const meta = { id: 'api-particulier', label: 'API Particulier v3 (bac à sable)' } as const;
  return { ...meta, handler: baseHandler(meta, undefined, 'https://particulier.api.gouv.fr/v3') };
}
