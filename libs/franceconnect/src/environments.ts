/**
 * FranceConnect v2 environments and their issuers are domain facts (libs/domain/src/environments.ts).
 * The issuer is also the discovery base: `${issuer}/.well-known/openid-configuration`.
 */
import {
  FRANCECONNECT_ENVIRONMENTS,
  FRANCECONNECT_ISSUERS,
  FRANCECONNECT_SIGNING_ALGORITHMS,
  type FranceConnectEnvironment,
  type FranceConnectSigningAlgorithm,
} from '@fcplat/domain';

export { FRANCECONNECT_ENVIRONMENTS, FRANCECONNECT_ISSUERS, FRANCECONNECT_SIGNING_ALGORITHMS, type FranceConnectEnvironment, type FranceConnectSigningAlgorithm };

/** The only authentication level of FranceConnect "standard" (SR-04, qualification #19). */
export const FRANCECONNECT_ACR = 'eidas1';

export function isFranceConnectEnvironment(value: unknown): value is FranceConnectEnvironment {
  return typeof value === 'string' && (FRANCECONNECT_ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * The issuer of an environment: the fixed one for FranceConnect's own environments, the given one
 * for `custom` (tests, staging). Returns `undefined` for `custom` without an issuer.
 */
export function issuerOf(environment: FranceConnectEnvironment, customIssuer?: string | null): string | undefined {
  if (environment === 'custom') return customIssuer ?? undefined;
  return FRANCECONNECT_ISSUERS[environment];
}
