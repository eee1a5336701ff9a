import { describeTarget, statusErrorOf, assertOk, type OutboundResponse } from './request.js';

function response(status: number, headers: Record<string, string> = {}): OutboundResponse {
  const body = Buffer.from('');
  return {
    status,
    ok: status >= 200 && status < 300,
    headers,
    body,
    target: 'GET https://upstream.test/search',
    durationMs: 1,
    header: (name) => headers[name.toLowerCase()],
    text: () => '',
    json: () => null,
  };
}

describe('statusErrorOf / assertOk', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');

  it('lets 2xx through', () => {
    expect(statusErrorOf(response(204))).toBeUndefined();
    expect(assertOk(response(200)).status).toBe(200);
  });

  it('carries the Retry-After of a 429 given as an HTTP-date', () => {
    const error = statusErrorOf(response(429, { 'retry-after': 'Mon, 02 Mar 2026 10:00:05 GMT' }), now);
    expect(error).toMatchObject({ status: 429, rateLimited: true, retryable: true, retryAfterMs: 5000 });
  });

  it('marks 4xx final and 5xx retryable (except 501)', () => {
    expect(statusErrorOf(response(404))).toMatchObject({ retryable: false, rateLimited: false, retryAfterMs: undefined });
    expect(statusErrorOf(response(503))).toMatchObject({ retryable: true });
    expect(statusErrorOf(response(501))).toMatchObject({ retryable: false });
  });
});

describe('describeTarget', () => {
  it('keeps method, origin and path only', () => {
    expect(describeTarget('GET', new URL('https://h.test:8443/a/b?token=x#frag'))).toBe('GET https://h.test:8443/a/b');
  });
});
