import type { ButtonFacts, CapturedAuthorize, RobotFacts, SectionFacts, ViewFacts } from './facts.js';
import { buttonSizeProblem, checkButtonSection, checkFraming, checkInfoLink, checkLayout, checkTls, evaluate, hasPivotIdentity, type CheckContext } from './checks.js';
import { robotItemsFor } from './items.js';
import { digest, redactAuthorizeParams, unverifiedClaims } from './redact.js';

const button = (over: Partial<ButtonFacts> = {}): ButtonFacts => ({
  label: "S'identifier avec FranceConnect",
  loginWeight: 400,
  brandWeight: 700,
  logo: true,
  width: 209,
  height: 56,
  rest: { background: '#000091', text: '#f5f5fe' },
  hover: { background: '#1212ff', text: '#f5f5fe' },
  active: { background: '#2323ff', text: '#f5f5fe' },
  target: null,
  ...over,
});
const section = (key: 'connexion' | 'inscription', over: Partial<SectionFacts> = {}): SectionFacts => ({
  key,
  found: true,
  buttonCount: 1,
  button: button(),
  sentence: { found: true, above: true, gap: 16 },
  link: { text: "Qu'est-ce que FranceConnect ?", href: 'https://franceconnect.gouv.fr/', target: '_blank', title: "Qu'est-ce que FranceConnect ? - nouvelle fenêtre", gap: 8, fontSize: 14, underline: true, visible: true },
  separator: { found: true, between: true },
  otherMethods: 3,
  otherMethodsAbove: [],
  socialMentions: [],
  ...over,
});
const view = (over: Partial<SectionFacts> = {}): ViewFacts => ({ theme: 'light', rootFontPx: 16, sections: { connexion: section('connexion', over), inscription: section('inscription') } });

describe('qualification robot: pure checks', () => {
  it('button size: 209x56 ± 1 px, 261x70 at 20 px, larger with the ratio; distorted fails', () => {
    expect(buttonSizeProblem(209, 56, 16)).toBeNull();
    expect(buttonSizeProblem(261.25, 70, 20)).toBeNull();
    expect(buttonSizeProblem(313.5, 84, 16)).toBeNull();
    expect(buttonSizeProblem(250, 56, 16)).toMatch(/250 × 56 px au lieu de 209 × 56 px/);
    expect(buttonSizeProblem(209, 56, 20)).toMatch(/au lieu de 261.3 × 70 px/);
  });

  it('button: a wrong colour, label, missing logo or sentence are each a finding', () => {
    expect(checkButtonSection([view()], 'connexion').findings).toEqual([]);
    expect(checkButtonSection([view({ button: button({ rest: { background: '#e1000f', text: '#f5f5fe' } }) })], 'connexion').findings).toEqual([expect.stringMatching(/au repos .*#e1000f au lieu de #000091/)]);
    expect(checkButtonSection([view({ button: button({ label: 'Connexion FranceConnect' }) })], 'connexion').findings[0]).toMatch(/Libellé/);
    expect(checkButtonSection([view({ button: button({ logo: false }) })], 'connexion').findings[0]).toMatch(/logo/);
    expect(checkButtonSection([view({ sentence: { found: false, above: false, gap: null } })], 'connexion').findings[0]).toMatch(/phrase/);
    expect(checkButtonSection([{ ...view(), theme: 'dark' }], 'connexion').findings).toHaveLength(6);
    expect(checkButtonSection([view({ button: null })], 'connexion').findings[0]).toMatch(/Aucun bouton/);
  });

  it('link: gap, target, title and href are checked', () => {
    const link = section('connexion').link as NonNullable<SectionFacts['link']>;
    expect(checkInfoLink([view()], 'connexion').findings).toEqual([]);
    expect(checkInfoLink([view({ link: { ...link, gap: 28 } })], 'connexion').findings[0]).toMatch(/28 px sous le bouton au lieu de 8 px/);
    expect(checkInfoLink([view({ link: { ...link, target: null, title: null } })], 'connexion').findings).toHaveLength(2);
    expect(checkInfoLink([view({ link: { ...link, href: 'https://example.org/' } })], 'connexion').findings[0]).toMatch(/example\.org/);
    expect(checkInfoLink([view({ link: null })], 'connexion').findings[0]).toMatch(/manque/);
  });

  it('layout: another method above, no separator, a social login', () => {
    expect(checkLayout([view({ otherMethodsAbove: ['Code SMS'] })], 'FC-05', ['connexion']).findings[0]).toMatch(/Code SMS/);
    expect(checkLayout([view({ separator: { found: false, between: false } })], 'FC-06', ['connexion']).findings[0]).toMatch(/Aucune séparation/);
    expect(checkLayout([view({ separator: { found: true, between: false } })], 'FC-06', ['connexion']).findings[0]).toMatch(/n'est pas placée/);
    expect(checkLayout([view({ socialMentions: ['Google'] })], 'FC-07', ['connexion']).findings[0]).toMatch(/Google/);
  });

  it('framing: headers, an iframe, a pop-up, a displayed frame', () => {
    const ok = { embeddedFrames: 0, windowOpenCalls: 0, popups: 0, contentSecurityPolicy: "default-src 'self';frame-ancestors 'none'", xFrameOptions: 'DENY', framingAttempt: 'blocked' as const };
    expect(checkFraming(ok).verdict).toBe('passed');
    expect(checkFraming({ ...ok, contentSecurityPolicy: null, xFrameOptions: null }).findings[0]).toMatch(/en-têtes/);
    expect(checkFraming({ ...ok, framingAttempt: 'displayed' }).verdict).toBe('failed');
    expect(checkFraming({ ...ok, embeddedFrames: 1 }).findings[0]).toMatch(/cadre/);
    expect(checkFraming({ ...ok, windowOpenCalls: 1 }).findings[0]).toMatch(/pop-up/);
  });

  it('TLS: http is not verifiable, TLS 1.1 accepted fails, only 1.2/1.3 passes', () => {
    expect(checkTls({ scheme: 'http' })).toMatchObject({ verdict: 'not_verifiable', summary: 'Sans objet ici : le portail est servi en HTTP (bac à sable) ; la vérification TLS porte sur une adresse https' });
    const refused = { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, connected: false, negotiated: null, error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', clientUnsupported: false };
    const modern = { minVersion: 'TLSv1.2' as const, maxVersion: 'TLSv1.2' as const, connected: true, negotiated: 'TLSv1.2', error: null, clientUnsupported: false };
    expect(checkTls({ scheme: 'https', host: 'h', port: 443, attempts: [refused, modern] }).verdict).toBe('passed');
    expect(checkTls({ scheme: 'https', host: 'h', port: 443, attempts: [{ ...refused, connected: true, negotiated: 'TLSv1.1', error: null }, modern] }).findings[0]).toMatch(/TLSv1.1/);
    expect(checkTls({ scheme: 'https', host: 'h', port: 443, attempts: [{ ...refused, clientUnsupported: true }, modern] }).verdict).toBe('not_verifiable');
  });

  it('protocol: scopes, acr, state/nonce format and uniqueness, client_id, and redaction', () => {
    const authorize = (state: string, over: Record<string, string> = {}): CapturedAuthorize => ({
      origin: 'live',
      environment: 'custom',
      endpoint: 'http://op/authorize',
      params: { client_id: 'abc', scope: 'openid identite_pivot', acr_values: 'eidas1', state, nonce: `N${state}`, redirect_uri: 'http://p/cb', response_type: 'code', ...over },
    });
    const tamper = { environment: 'custom' as const, attempted: true, backOnHome: true, errorCode: 'x', loggedIn: false, endSessionReached: true, failure: null };
    const base: RobotFacts = { views: null, framing: null, tls: null, authorizes: ['a'.repeat(43), 'b'.repeat(43), 'c'.repeat(43)].map((s) => authorize(s)), liveAttempts: 3, stateTamper: tamper, nonceTamper: tamper, login: null, missing: {} };
    const ctx: CheckContext = { modes: { connexion: true, dataRetrieval: false }, liveEnvironment: 'custom', clientIds: { custom: 'abc' }, loginIssuer: null };
    const byId = (facts: RobotFacts, c = ctx) => Object.fromEntries(evaluate(facts, c).map((i) => [i.id, i]));
    const ok = byId(base);
    expect(['FC-17', 'FC-19', 'FC-20', 'FC-21'].map((id) => ok[id]?.verdict)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(JSON.stringify(ok['FC-20']?.evidence)).not.toContain('a'.repeat(43));
    const fixed = byId({ ...base, authorizes: base.authorizes.map(() => authorize('F'.repeat(30))) });
    expect(fixed['FC-20']?.findings[0]).toMatch(/state identique/);
    expect(byId({ ...base, authorizes: [authorize('short')] })['FC-20']?.verdict).toBe('failed');
    expect(byId({ ...base, stateTamper: { ...tamper, loggedIn: true } })['FC-20']?.findings[0]).toMatch(/state modifié/);
    // The live phase interrupted before the attempt: FC-20 says why, not just that it was not tried.
    const interrupted = byId({ ...base, stateTamper: null, missing: { live: 'Vérification interrompue (« Appels à /authorize ») : délai dépassé' } })['FC-20'];
    expect(interrupted?.verdict).toBe('not_verifiable');
    expect(interrupted?.summary).toContain('délai dépassé');
    // Home with an error but without FranceConnect's logout: FC-20 asks for both.
    expect(byId({ ...base, nonceTamper: { ...tamper, endSessionReached: false } })['FC-20']?.findings).toEqual([
      'Avec un nonce modifié, le portail ne passe pas par la déconnexion de FranceConnect (end_session) avant de revenir à l\'accueil.',
    ]);
    expect(byId({ ...base, authorizes: [authorize('a'.repeat(43), { acr_values: 'eidas2' })] })['FC-19']?.verdict).toBe('failed');
    expect(byId({ ...base, authorizes: [authorize('a'.repeat(43), { scope: 'openid email' })] })['FC-17']?.verdict).toBe('failed');
    expect(byId(base, { ...ctx, clientIds: { custom: 'other' } })['FC-21']?.findings[0]).toMatch(/« abc » au lieu de « other »/);
    expect(byId(base, { ...ctx, clientIds: {} })['FC-21']?.verdict).toBe('not_verifiable');
    // Login items without a login: not verifiable with the reason.
    expect(byId({ ...base, missing: { login: 'Pas de client hors production.' } })['FC-09']).toMatchObject({ verdict: 'not_verifiable', summary: 'Pas de client hors production.' });
    expect(hasPivotIdentity(['openid', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'])).toBe(true);
    expect(redactAuthorizeParams({ state: 'secret-state', client_id: 'abc' })).toEqual({ client_id: 'abc', state: digest('secret-state') });
  });

  it('items: mode D only leaves the C-only items not applicable; FC-22 is never reported', () => {
    expect(robotItemsFor({ connexion: false, dataRetrieval: true })).toEqual(['FC-01', 'FC-02', 'FC-08', 'FC-09', 'FC-11', 'FC-13', 'FC-15', 'FC-16', 'FC-17', 'FC-18', 'FC-19', 'FC-20', 'FC-21']);
    const facts: RobotFacts = { views: null, framing: null, tls: null, authorizes: [], liveAttempts: 0, stateTamper: null, nonceTamper: null, login: null, missing: {} };
    const items = evaluate(facts, { modes: { connexion: false, dataRetrieval: true }, liveEnvironment: null, clientIds: {}, loginIssuer: null });
    expect(items.map((i) => i.id)).not.toContain('FC-22');
    expect(items.find((i) => i.id === 'FC-03')?.verdict).toBe('not_applicable');
  });

  it('unverified claims of an ID token: aud and iss only', () => {
    const jwt = ['e30', Buffer.from(JSON.stringify({ aud: 'client', iss: 'https://op', sub: 'x' })).toString('base64url'), 'sig'].join('.');
    expect(unverifiedClaims(jwt)).toEqual({ aud: ['client'], iss: 'https://op' });
    expect(unverifiedClaims('garbage')).toBeNull();
  });
});
