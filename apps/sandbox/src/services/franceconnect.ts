import { baseHandler, type SandboxService } from '../http.js';

/** Stand-in for FranceConnect v2 (the OpenID Provider comes with the FranceConnect issue). */
export function franceConnectService(): SandboxService {
  const meta = { id: 'franceconnect', label: 'FranceConnect v2 (bac à sable)' } as const;
  return { ...meta, handler: baseHandler(meta, undefined, 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2') };
}
