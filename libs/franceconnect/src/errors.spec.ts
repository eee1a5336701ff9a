import { AppError } from '@fcplat/common';
import {
  AccessDeniedError,
  FRANCECONNECT_ERROR_CODES,
  IdTokenInvalidError,
  isFranceConnectError,
  ProviderUnavailableError,
  StateInvalidError,
  TokenEndpointError,
  UserinfoInvalidError,
} from './errors.js';

describe('FranceConnect errors', () => {
  it('carry a stable code, a French message, a technical reason and the logout advice', () => {
    const cancelled = new AccessDeniedError();
    expect(cancelled).toMatchObject({ code: 'ACCESS_DENIED', message: 'La connexion avec FranceConnect a été annulée.', logoutRecommended: false, idTokenHint: null });
    expect(cancelled.userMessage).toBe(cancelled.message);
    expect(cancelled.name).toBe('AccessDeniedError');
    expect(isFranceConnectError(cancelled)).toBe(true);
    expect(isFranceConnectError(new Error('x'))).toBe(false);
    expect(new StateInvalidError('used')).toMatchObject({ code: 'STATE_INVALID', reason: 'state_used', logoutRecommended: true });
    expect(new StateInvalidError('used', 'logout')).toMatchObject({ logoutRecommended: false, message: 'La déconnexion de FranceConnect n’a pas pu être vérifiée. Vous êtes bien déconnecté de ce service.' });
    expect(new IdTokenInvalidError('nonce')).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'id_token_nonce', idTokenHint: null });
    expect(new UserinfoInvalidError('not_jwt', 'a.b.c')).toMatchObject({ idTokenHint: 'a.b.c' });
    expect(new TokenEndpointError('token_http_400:invalid_grant', 400)).toMatchObject({ retryable: false });
    expect(new TokenEndpointError('token_http_502', 502)).toMatchObject({ retryable: true });
    expect(FRANCECONNECT_ERROR_CODES).toHaveLength(10);
  });

  it('never expose the ID token hint to serialisers (loggers), nor a cause carrying token payloads', () => {
    const error = new UserinfoInvalidError('sub_mismatch', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
    expect(error.idTokenHint).toBe('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
    expect(Object.keys(error)).not.toContain('idTokenHint');
    expect(JSON.stringify({ ...error })).not.toContain('eyJ');
    expect(error.cause).toBeUndefined();
  });

  it('map to the platform’s problem+json errors', () => {
    const denied = new AccessDeniedError().toAppError();
    expect(denied).toBeInstanceOf(AppError);
    expect(denied).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, detail: 'La connexion avec FranceConnect a été annulée.', extensions: { franceconnectCode: 'ACCESS_DENIED', logoutRecommended: false } });
    expect(new ProviderUnavailableError('token_timeout', true).toAppError()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503 });
  });
});
