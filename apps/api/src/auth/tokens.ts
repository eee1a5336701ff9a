export { hashToken, newToken } from '@fcplat/crypto';

export const SESSION_COOKIE = 'fcplat_session';
export const API_TOKEN_PREFIX = 'fcp_';
