export * from './environments.js';
export * from './errors.js';
export {
  normaliseScopes,
  validateClient,
  type RelyingPartyClient,
  type RelyingPartyClientSource,
} from './client.js';
export {
  FranceConnectRelyingParty,
  type BeginLoginOptions,
  type CallbackQuery,
  type FranceConnectLogin,
  type FranceConnectPrompt,
  type LoginRedirect,
  type LogoutCompletion,
  type LogoutRedirect,
  type RelyingPartyOptions,
} from './relying-party.js';
export type { StateDatabase } from './state-store.js';
export type { HttpLimits, ProviderMetadata } from './provider-directory.js';
export { randomAlphanumeric } from './random.js';
export * from './probe.js';
