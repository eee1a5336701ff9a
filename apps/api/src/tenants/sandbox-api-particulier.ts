/**
 * Client of the sandbox API Particulier's administration API (apps/sandbox, `POST /admin/tokens`):
 * mints a sandbox token for a tenant in one call. It does not exist at API Particulier (tokens
 * come with the DataPass habilitation); SANDBOX_API_PARTICULIER_URL points at the stand-in.
 */
import { AppError } from '@fcplat/common';
import { parisCalendarDate } from '@fcplat/domain';
import { request } from '@fcplat/outbound-http';
import { SANDBOX_ADMIN_TIMEOUT_MS } from './sandbox-franceconnect.js';

const UNAVAILABLE = 'Le bac à sable API Particulier ne répond pas : vérifiez qu’il est démarré (SANDBOX_API_PARTICULIER_URL), puis recommencez.';

export interface SandboxApiParticulierToken {
  readonly token: string;
  /** `YYYY-MM-DD`, the calendar day in France of the token's `exp` (what the vault checks the token against). */
  readonly expiresOn: string;
}

export async function mintSandboxToken(baseUrl: string, subject: string): Promise<SandboxApiParticulierToken> {
  const response = await request({
    method: 'POST',
    url: `${baseUrl.replace(/\/+$/, '')}/admin/tokens`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ subject: subject.slice(0, 200) }),
    timeoutMs: SANDBOX_ADMIN_TIMEOUT_MS,
  }).catch((error: unknown) => {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause: error });
  });
  if (response.status !== 201) throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: `Le bac à sable API Particulier a refusé la création du jeton (statut ${response.status}).` });
  let body: { token?: unknown; expiresAt?: unknown };
  try {
    body = (response.json() ?? {}) as { token?: unknown; expiresAt?: unknown };
  } catch (error) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause: error });
  }
  const expiresAt = typeof body.expiresAt === 'string' ? new Date(body.expiresAt) : null;
  if (typeof body.token !== 'string' || !body.token || !expiresAt || Number.isNaN(expiresAt.getTime())) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'Réponse inattendue du bac à sable API Particulier.' });
  }
  return { token: body.token, expiresOn: parisCalendarDate(expiresAt) };
}
