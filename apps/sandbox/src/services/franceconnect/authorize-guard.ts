/**
 * FranceConnect v2 validates `/authorize` parameters before its oidc-provider sees them
 * (`AuthorizeParamsDto` with `whitelist` + `forbidNonWhitelisted`): any other parameter is an
 * error (FranceConnect code Y030007), PKCE included, and `nonce` needs at least 22 characters.
 */

export const ALLOWED_AUTHORIZE_PARAMS: ReadonlySet<string> = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'acr_values',
  'prompt',
  'claims',
  'idp_hint',
  'ui_locales',
]);

const REQUIRED = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'acr_values'] as const;

/** FranceConnect's minimum for `nonce`; qualification asks the same of `state`. */
export const MIN_NONCE_STATE_LENGTH = 22;

const ALLOWED_PROMPTS = new Set(['login', 'consent']);

export type GuardVerdict = { readonly ok: true } | { readonly ok: false; readonly description: string };

function refuse(description: string): GuardVerdict {
  return { ok: false, description };
}

export function checkAuthorizeParams(params: URLSearchParams): GuardVerdict {
  const names = [...params.keys()];
  const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (repeated.length > 0) return refuse(`Y030007: repeated parameter(s): ${repeated.join(', ')}`);

  const unexpected = names.filter((name) => !ALLOWED_AUTHORIZE_PARAMS.has(name));
  if (unexpected.length > 0) {
    const pkce = unexpected.some((name) => name.startsWith('code_challenge'));
    return refuse(`Y030007: parameter(s) not accepted by FranceConnect: ${unexpected.join(', ')}${pkce ? ' (PKCE is not supported)' : ''}`);
  }

  const missing = REQUIRED.filter((name) => (params.get(name) ?? '') === '');
  if (missing.length > 0) return refuse(`Y030007: missing parameter(s): ${missing.join(', ')}`);

  if ((params.get('nonce') ?? '').length < MIN_NONCE_STATE_LENGTH) return refuse(`Y030007: nonce must be at least ${MIN_NONCE_STATE_LENGTH} characters long`);
  if ((params.get('state') ?? '').length < MIN_NONCE_STATE_LENGTH) return refuse(`Y030007: state must be at least ${MIN_NONCE_STATE_LENGTH} characters long`);

  const prompt = params.get('prompt');
  if (prompt !== null) {
    const values = prompt.split(' ').filter((value) => value !== '');
    if (values.length === 0 || values.some((value) => !ALLOWED_PROMPTS.has(value))) return refuse('Y030007: prompt may only be login and/or consent');
  }

  const claims = params.get('claims');
  if (claims !== null) {
    try {
      const parsed: unknown = JSON.parse(claims);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refuse('Y030007: claims must be a JSON object');
    } catch {
      return refuse('Y030007: claims must be a JSON object');
    }
  }
  return { ok: true };
}
