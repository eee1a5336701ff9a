import { checkAuthorizeParams } from './authorize-guard.js';

const VALID = {
  client_id: 'abc',
  redirect_uri: 'https://commune.example.fr/cb',
  response_type: 'code',
  scope: 'openid identite_pivot',
  state: 'S'.repeat(22),
  nonce: 'N'.repeat(22),
  acr_values: 'eidas1',
};

function check(overrides: Record<string, string | undefined> = {}, extra: Array<[string, string]> = []) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...VALID, ...overrides })) if (value !== undefined) params.append(name, value);
  for (const [name, value] of extra) params.append(name, value);
  return checkAuthorizeParams(params);
}

describe('FranceConnect authorize parameter checks', () => {
  it('accepts the required parameters and every optional one FranceConnect knows', () => {
    expect(check()).toEqual({ ok: true });
    expect(check({ prompt: 'login consent', claims: '{"id_token":{"amr":{"essential":true}}}', idp_hint: 'fip1-low', ui_locales: 'fr' })).toEqual({ ok: true });
  });

  it.each([
    ['code_challenge', 'abc'],
    ['code_challenge_method', 'S256'],
    ['response_mode', 'query'],
    ['login_hint', 'x'],
    ['request', 'x.y.z'],
    ['request_uri', 'urn:x'],
    ['max_age', '0'],
  ])('refuses %s', (name, value) => {
    const verdict = check({}, [[name, value]]);
    expect(verdict).toMatchObject({ ok: false, description: expect.stringContaining(name) });
  });

  it('says PKCE is not supported', () => {
    expect(check({}, [['code_challenge', 'x']])).toMatchObject({ description: expect.stringContaining('PKCE') });
  });

  it.each(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'acr_values'])('requires %s', (name) => {
    expect(check({ [name]: undefined })).toMatchObject({ ok: false, description: expect.stringContaining(name) });
    expect(check({ [name]: '' })).toMatchObject({ ok: false });
  });

  it('needs 22 characters of nonce and state', () => {
    expect(check({ nonce: 'N'.repeat(21) })).toMatchObject({ ok: false, description: expect.stringContaining('nonce') });
    expect(check({ state: 'S'.repeat(21) })).toMatchObject({ ok: false, description: expect.stringContaining('state') });
  });

  it('refuses repeated parameters, other prompts and a claims value that is not a JSON object', () => {
    expect(check({}, [['scope', 'openid']])).toMatchObject({ ok: false, description: expect.stringContaining('repeated') });
    expect(check({ prompt: 'none' })).toMatchObject({ ok: false });
    expect(check({ prompt: 'select_account' })).toMatchObject({ ok: false });
    expect(check({ claims: '[1]' })).toMatchObject({ ok: false });
    expect(check({ claims: '{' })).toMatchObject({ ok: false });
  });
});
