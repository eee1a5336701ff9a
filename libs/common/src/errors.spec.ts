import { AppError, ERROR_CATALOGUE, validationError } from './errors.js';
import { REDACTED, redact } from './redact.js';

describe('AppError', () => {
  it('takes its status and title from the catalogue', () => {
    const error = new AppError('NOT_FOUND', { detail: 'Client introuvable' });
    expect(error.status).toBe(404);
    expect(error.title).toBe(ERROR_CATALOGUE.NOT_FOUND.title);
    expect(error.message).toBe('Client introuvable');
    expect(error.retryable).toBe(false);
  });

  it('summarises violations in its detail', () => {
    const error = validationError([{ path: 'siret', message: 'doit contenir 14 chiffres' }]);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.detail).toBe('siret : doit contenir 14 chiffres');
  });
});

describe('redact', () => {
  it('hides sensitive keys at any depth, case-insensitively', () => {
    const out = redact({ headers: { Authorization: 'Bearer abc', accept: 'json' }, list: [{ client_secret: 'x' }] });
    expect(out).toEqual({ headers: { Authorization: REDACTED, accept: 'json' }, list: [{ client_secret: REDACTED }] });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[CIRCULAR]' });
  });
});
