/**
 * FranceConnect v2 environments (domain.md §1.1). The issuer is also the discovery base:
 * `${issuer}/.well-known/openid-configuration`.
 */
export const FRANCECONNECT_ENVIRONMENTS = ['sandbox', 'production', 'custom'] as const;
export type FranceConnectEnvironment = (typeof FRANCECONNECT_ENVIRONMENTS)[number];

/** Issuers of the two real environments; `custom` has none (the client gives its own). */
export const FRANCECONNECT_ISSUERS = {
  sandbox: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
  production: 'https://oidc.franceconnect.gouv.fr/api/v2',
} as const satisfies Record<Exclude<FranceConnectEnvironment, 'custom'>, string>;

/** The only authentication level of FranceConnect "standard" (SR-04, qualification #19). */
export const FRANCECONNECT_ACR = 'eidas1';

/** Signing algorithms FranceConnect v2's partner portal offers; everything else is refused (SR-04). */
export const FRANCECONNECT_SIGNING_ALGORITHMS = ['ES256', 'RS256'] as const;
export type FranceConnectSigningAlgorithm = (typeof FRANCECONNECT_SIGNING_ALGORITHMS)[number];

export function isFranceConnectEnvironment(value: unknown): value is FranceConnectEnvironment {
  return typeof value === 'string' && (FRANCECONNECT_ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * The issuer of an environment: the fixed one for `sandbox` and `production`, the given one for
 * `custom` (tests, staging). Returns `undefined` for `custom` without an issuer.
 */
export function issuerOf(environment: FranceConnectEnvironment, customIssuer?: string | null): string | undefined {
  if (environment === 'custom') return customIssuer ?? undefined;
  return FRANCECONNECT_ISSUERS[environment];
}
