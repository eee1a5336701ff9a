import {
  API_PARTICULIER_ENVIRONMENTS,
  FRANCECONNECT_ENVIRONMENTS,
  franceConnectCredentialProblem,
  liveEnvironmentDecision,
  readApiParticulierToken,
  type CredentialsCondition,
  type LiveEnvironmentProduct,
  type LiveEnvironmentRefusalCode,
} from './environments.js';
import { ONBOARDING_STAGES, type OnboardingStage } from './onboarding.js';

/**
 * Every (product, from, to, stage, credentials, reason, custom allowed) combination of the live
 * environment rule, against an expectation written here by hand from the rule as the business
 * states it (not from the implementation's tables).
 */
const STAGES_WITH_PRODUCTION_ALLOWED = new Set<OnboardingStage>(['production_credentials_received', 'live']);
const CONDITIONS: readonly CredentialsCondition[] = ['missing', 'unusable', 'usable'];
const REASONS = [undefined, '   ', 'abc', 'Retour en recette pour corriger le bouton'] as const;

function expected(
  from: string | null,
  to: string,
  stage: OnboardingStage,
  credentials: CredentialsCondition,
  reason: string | undefined,
  customAllowed: boolean,
): LiveEnvironmentRefusalCode | 'ok' {
  if (from === to) return 'same_environment';
  if (to === 'custom' && !customAllowed) return 'environment_disabled';
  if (credentials === 'missing') return 'credentials_missing';
  if (credentials === 'unusable') return 'credentials_unusable';
  if (to === 'production' && !STAGES_WITH_PRODUCTION_ALLOWED.has(stage)) return 'stage_not_ready';
  if (from === 'production' && (reason ?? '').trim().length < 5) return 'reason_required';
  return 'ok';
}

describe('the live environment rule (exhaustive)', () => {
  const products: [LiveEnvironmentProduct, readonly string[]][] = [
    ['franceconnect', FRANCECONNECT_ENVIRONMENTS],
    ['api_particulier', API_PARTICULIER_ENVIRONMENTS],
  ];

  it('decides every combination as the rule says', () => {
    let checked = 0;
    let allowed = 0;
    const mismatches: string[] = [];
    for (const [product, environments] of products) {
      for (const from of [null, ...environments]) {
        for (const to of environments) {
          for (const stage of ONBOARDING_STAGES) {
            for (const credentials of CONDITIONS) {
              for (const reason of REASONS) {
                for (const customAllowed of [false, true]) {
                  const decision = liveEnvironmentDecision({ product, from: from as never, to: to as never, stage, credentials, reason, customAllowed });
                  const want = expected(from, to, stage, credentials, reason, customAllowed);
                  const got = decision.ok ? 'ok' : decision.code;
                  checked += 1;
                  if (decision.ok) allowed += 1;
                  if (got !== want) mismatches.push(`${product} ${String(from)}→${to} at ${stage}, ${credentials}, reason=${JSON.stringify(reason)}, custom=${customAllowed}: ${got}, expected ${want}`);
                  if (!decision.ok) expect(decision.message).toMatch(/^[A-ZÀ-Ý]/);
                }
              }
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    // 2 products × 5 origins × 4 targets × 11 stages × 3 conditions × 4 reasons × 2 platforms.
    expect(checked).toBe(2 * 5 * 4 * ONBOARDING_STAGES.length * 3 * 4 * 2);
    expect(allowed).toBeGreaterThan(0);
  });

  it('says why in French, naming the stage and the environment', () => {
    const early = liveEnvironmentDecision({ product: 'franceconnect', from: 'custom', to: 'production', stage: 'created', credentials: 'usable', customAllowed: true });
    expect(early).toMatchObject({ ok: false, code: 'stage_not_ready', message: expect.stringMatching(/Client créé.*Identifiants de production reçus/) });
    const back = liveEnvironmentDecision({ product: 'api_particulier', from: 'production', to: 'staging', stage: 'live', credentials: 'usable', customAllowed: false });
    expect(back).toMatchObject({ ok: false, code: 'reason_required', message: expect.stringMatching(/Recette API Particulier/) });
    // Going back is possible at any stage, with a reason, even where production could not be entered.
    expect(liveEnvironmentDecision({ product: 'franceconnect', from: 'production', to: 'sandbox', stage: 'created', credentials: 'usable', reason: 'Erreur de saisie', customAllowed: false })).toEqual({ ok: true });
  });
});

describe('credential formats', () => {
  it('accepts FranceConnect ids and secrets of 64 lowercase hexadecimal characters only', () => {
    expect(franceConnectCredentialProblem('a'.repeat(64))).toBeNull();
    expect(franceConnectCredentialProblem('0123456789abcdef'.repeat(4))).toBeNull();
    expect(franceConnectCredentialProblem('abc')).toMatch(/64 caractères hexadécimaux.*3 caractères/);
    expect(franceConnectCredentialProblem('A'.repeat(64))).toMatch(/minuscules/);
    expect(franceConnectCredentialProblem('g'.repeat(64))).toMatch(/64 caractères/);
    expect(franceConnectCredentialProblem('a'.repeat(65))).toMatch(/65 caractères/);
    expect(franceConnectCredentialProblem(` ${'a'.repeat(63)}`)).not.toBeNull();
  });

  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (header: unknown, payload: unknown) => `${segment(header)}.${segment(payload)}.${Buffer.from('signature').toString('base64url')}`;

  it('reads an API Particulier token as a JWT, with its expiry when it has one', () => {
    const exp = Date.UTC(2027, 5, 30, 12) / 1000;
    expect(readApiParticulierToken(jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'x', exp, iat: exp - 3600 }))).toEqual({
      ok: true,
      expiresAt: new Date(exp * 1000),
      issuedAt: new Date((exp - 3600) * 1000),
    });
    expect(readApiParticulierToken(jwt({ alg: 'RS256' }, { sub: 'x' }))).toEqual({ ok: true, expiresAt: null, issuedAt: null });
  });

  it('refuses what is not a JWT, saying why', () => {
    const cases: [string, RegExp][] = [
      ['short', /trois parties/],
      ['a.b', /trois parties/],
      ['a..c', /base64url/],
      ['a b.c.d', /base64url/],
      [`${segment({ alg: 'HS256' })}.bm90IGpzb24.c2ln`, /illisible/],
      [jwt({ typ: 'JWT' }, {}), /alg/],
      [jwt({ alg: 'none' }, {}), /non signé/],
      [jwt({ alg: 'HS256' }, [1, 2]), /objet JSON/],
      [jwt({ alg: 'HS256' }, { exp: 'tomorrow' }), /exp/],
      [jwt({ alg: 'HS256' }, { iat: -1 }), /iat/],
    ];
    for (const [token, problem] of cases) {
      const reading = readApiParticulierToken(token);
      expect(reading).toEqual({ ok: false, problem: expect.stringMatching(problem) });
    }
  });
});
