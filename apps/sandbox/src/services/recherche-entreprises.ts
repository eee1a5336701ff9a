import { baseHandler, type SandboxService } from '../http.js';

/** Stand-in for the company directory (recherche-entreprises; answers come with the tenants issue). */
export function rechercheEntreprisesService(): SandboxService {
  const meta = { id: 'recherche-entreprises', label: 'Annuaire des entreprises (bac à sable)' } as const;
  return { ...meta, handler: baseHandler(meta, undefined, 'https://recherche-entreprises.api.gouv.fr') };
}
