import { ClientRegistry, isRegisteredClient, parseClientRegistration, type RegisteredClient } from './clients.js';

const VALID = { redirect_uris: ['https://a.example.fr/cb', 'https://a.example.fr/cb2'], post_logout_redirect_uris: ['https://a.example.fr/out'] };

describe('client registrations', () => {
  it('accepts a minimal registration and defaults to ES256', () => {
    expect(parseClientRegistration(VALID)).toEqual({ ok: true, value: { ...VALID, id_token_signed_response_alg: 'ES256' } });
    expect(parseClientRegistration({ redirect_uris: ['http://localhost:3000/cb'] })).toMatchObject({ ok: true, value: { post_logout_redirect_uris: [] } });
  });

  it.each([
    [{ redirect_uris: ['https://a.example.fr/cb#x'] }, 'fragment'],
    [{ redirect_uris: ['https://user:pw@a.example.fr/cb'] }, 'credentials'],
    [{ redirect_uris: ['https://a.example.fr/cb', 'https://b.example.fr/cb'] }, 'same host'],
    [{ redirect_uris: Array.from({ length: 21 }, (_, i) => `https://a.example.fr/${i}`) }, 'at most'],
    [{ redirect_uris: [`https://a.example.fr/${'x'.repeat(2000)}`] }, 'characters'],
    [{ ...VALID, id_token_signed_response_alg: 'none' }, 'ES256'],
    [{ ...VALID, extra: 1 }, 'unknown field'],
    [null, 'JSON object'],
  ])('refuses %j', (body, message) => {
    expect(parseClientRegistration(body)).toMatchObject({ ok: false, description: expect.stringContaining(message) });
  });

  it('requires a strong secret when credentials are given', () => {
    expect(parseClientRegistration({ ...VALID, client_secret: 'short' }, { withSecret: true })).toMatchObject({ ok: false });
    expect(parseClientRegistration({ ...VALID, client_secret: 'x'.repeat(32) }, { withSecret: true })).toMatchObject({ ok: true });
    expect(parseClientRegistration({ ...VALID, client_secret: 'x'.repeat(32) })).toMatchObject({ ok: false });
  });

  it('persists before changing, so a failed write changes nothing', () => {
    const saved: Array<readonly RegisteredClient[]> = [];
    let failing = false;
    const registry = new ClientRegistry([], (clients) => {
      if (failing) throw new Error('disk full');
      saved.push(clients);
    });
    const client = registry.register({ ...VALID, id_token_signed_response_alg: 'ES256' });
    expect(isRegisteredClient(client)).toBe(true);
    expect(saved.at(-1)?.map((c) => c.client_id)).toEqual([client.client_id]);
    failing = true;
    expect(() => registry.register({ ...VALID, id_token_signed_response_alg: 'RS256' })).toThrow('disk full');
    expect(() => registry.delete(client.client_id)).toThrow('disk full');
    expect(registry.list()).toEqual([client]);
  });
});
