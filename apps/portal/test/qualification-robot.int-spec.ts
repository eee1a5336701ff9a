/**
 * The qualification robot against real components: the API (behind a test-only proxy that breaks
 * one prerequisite per tenant, qualification-robot-fixture.ts), the built portal, the sandbox
 * FranceConnect provider and headless Chromium. A conforming tenant passes every robot item; each
 * broken variant fails exactly its item, every other item keeping its conforming verdict.
 */
import type { TenantEntity } from '@fcplat/db';
import type { QualificationItemId } from '@fcplat/domain';
import { runQualificationRobot, robotItemsFor, type RobotReport, type RobotTarget } from '@fcplat/qualification-robot';
import { PortalRateLimiter } from '../../api/src/portal/rate-limits.js';
import { PAUL, startE2e, type E2eWorld } from './e2e-harness.js';
import { startFixtureProxy, whenRendered, type FixtureProxy, type Variant } from './qualification-robot-fixture.js';

const RUN_TIMEOUT = 90_000;

describe('qualification robot (Chromium, API, portal, FranceConnect sandbox)', () => {
  let world: E2eWorld;
  let proxy: FixtureProxy;

  beforeAll(async () => {
    world = await startE2e({
      frontProxy: async (apiPort) => {
        proxy = await startFixtureProxy(apiPort);
        return proxy;
      },
    });
    world.api.app.get(PortalRateLimiter).configure({ franceConnectPerIp: { max: 100_000, windowMs: 60_000 } });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  function targetOf(tenant: TenantEntity, overrides: Partial<RobotTarget> = {}): RobotTarget {
    const clientId = world.clientIdOf(tenant) ?? '';
    return {
      tenantId: tenant.id,
      slug: tenant.slug,
      portalUrl: world.portalUrl(tenant),
      modes: { connexion: true, dataRetrieval: tenant.dataRetrievalEnabled },
      liveEnvironment: 'custom',
      clientIds: { custom: clientId },
      login: { environment: 'custom', issuer: world.issuer, loginQuery: { robot: '1' }, identity: { login: PAUL.login, password: '123' } },
      ...overrides,
    };
  }

  async function robot(target: RobotTarget): Promise<RobotReport> {
    return runQualificationRobot(target, { browser: world.browser, timeoutMs: 60_000 });
  }

  const verdicts = (report: RobotReport): Record<string, string> => Object.fromEntries(report.items.map((i) => [i.id, i.verdict]));
  const item = (report: RobotReport, id: QualificationItemId) => report.items.find((i) => i.id === id);

  function expectConforming(report: RobotReport, modes: { connexion: boolean; dataRetrieval: boolean }): void {
    const expected: Record<string, string> = {};
    for (const id of robotItemsFor(modes)) expected[id] = id === 'FC-18' || id === 'FC-11' ? 'not_verifiable' : 'passed';
    const failing = report.items.filter((i) => i.verdict !== expected[i.id] && expected[i.id]).map((i) => `${i.id} ${i.verdict}: ${i.summary} ${i.findings.join(' | ')}`);
    expect(failing).toEqual([]);
    expect(item(report, 'FC-18')?.summary).toBe('Sans objet ici : le portail est servi en HTTP (bac à sable) ; la vérification TLS porte sur une adresse https');
    // No token, state, nonce, code or identity in the evidence.
    const evidence = JSON.stringify(report.items.map((i) => i.evidence));
    expect(evidence).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    expect(evidence).not.toContain(PAUL.familyName);
    for (const screenshot of report.screenshots) expect(screenshot.png.subarray(1, 4).toString()).toBe('PNG');
  }


  it('a conforming tenant (mode C): every robot item passed, with evidence and screenshots', async () => {
    const tenant = await world.addTenant();
    const report = await robot(targetOf(tenant));
    expectConforming(report, { connexion: true, dataRetrieval: false });
    expect(report.items.map((i) => i.id)).toEqual(['FC-01', 'FC-02', 'FC-03', 'FC-04', 'FC-05', 'FC-06', 'FC-07', 'FC-08', 'FC-09', 'FC-10', 'FC-11', 'FC-12', 'FC-13', 'FC-14', 'FC-15', 'FC-16', 'FC-17', 'FC-18', 'FC-19', 'FC-20', 'FC-21']);
    expect(report.screenshots.map((s) => s.name)).toEqual(expect.arrayContaining(['home-light', 'home-dark', 'button-hover', 'home-20px', 'section-connexion', 'section-inscription', 'profile']));
    expect(item(report, 'FC-01')?.screenshots).toEqual(expect.arrayContaining(['home-light', 'home-dark']));
    expect(item(report, 'FC-09')?.environment).toBe('custom');
    expect(item(report, 'FC-01')?.environment).toBeNull();
  }, RUN_TIMEOUT);

  it('a conforming tenant with data retrieval (modes C and D): every robot item passed', async () => {
    const tenant = await world.addTenant({ dataRetrieval: true });
    const report = await robot(targetOf(tenant));
    expectConforming(report, { connexion: true, dataRetrieval: true });
    expect(item(report, 'FC-08')?.evidence['dataRetrieval']).toMatchObject({ dataScopes: expect.arrayContaining(['cnaf_quotient_familial']) });
  }, RUN_TIMEOUT);

  const FIXED_STATE = 'FixedStateFixedState123456';
  const variants: [QualificationItemId, string, Variant | null, RegExp, { dataRetrieval?: boolean; target?: (t: RobotTarget) => Partial<RobotTarget> }?][] = [
    ['FC-01', 'button recoloured', { kind: 'css', css: '#connexion .fc-button { background-color: #e1000f !important; }' }, /Couleur de fond du bouton de la section « Connexion »/],
    ['FC-02', 'link 20 px below the button', { kind: 'css', css: '#connexion .fc-info { margin-top: 20px !important; }' }, /est à 2\d(\.\d)? px sous le bouton/],
    ['FC-03', 'no sentence above the sign-up button', { kind: 'css', css: '#inscription .fc-intro { display: none !important; }' }, /phrase .* manque dans la section « Inscription »/],
    ['FC-04', 'no link under the sign-up button', { kind: 'css', css: '#inscription .fc-info { display: none !important; }' }, /manque sous le bouton de la section « Inscription »/],
    ['FC-05', 'another method above FranceConnect', { kind: 'script', js: whenRendered('#connexion h2', `const b = document.createElement('button'); b.type = 'button'; b.className = 'button'; b.textContent = 'Recevoir un code par SMS'; el.after(b);`) }, /placé au-dessus de FranceConnect : « Recevoir un code par SMS »/],
    ['FC-06', 'no « ou » separator', { kind: 'css', css: '.separator { display: none !important; }' }, /Aucune séparation « ou »/],
    ['FC-07', 'a Google login link', { kind: 'script', js: whenRendered('#connexion form', `const a = document.createElement('a'); a.href = 'https://accounts.google.com/o/oauth2/auth'; a.textContent = 'Se connecter avec Google'; el.after(a);`) }, /réseau social .* Google/],
    ['FC-08', 'data retrieval button hidden', { kind: 'css', css: '#donnees .fc-button { display: none !important; }' }, /Récupérer ses données avec FranceConnect » introuvable/, { dataRetrieval: true }],
    ['FC-09', 'logout without end_session', { kind: 'no-logout-redirect' }, /déconnexion ne passe pas par la fin de session FranceConnect/],
    ['FC-10', 'sign-up with FranceConnect broken', { kind: 'signup-broken' }, /section Inscription ne mène pas à FranceConnect/],
    ['FC-12', 'deletion without end_session', { kind: 'no-deletion-redirect' }, /suppression du compte ne passe pas par la fin de session/],
    ['FC-13', 'an iframe in the page', { kind: 'script', js: whenRendered('main', `const f = document.createElement('iframe'); f.src = 'about:blank'; f.title = 'Publicité'; el.append(f);`) }, /cadre\(s\) intégré\(s\)/],
    ['FC-13', 'anti-framing headers removed', { kind: 'no-frame-headers' }, /s’affiche dans un cadre/],
    ['FC-14', 'profile unreachable', { kind: 'css', css: 'a[href$="/profil"] { display: none !important; }' }, /Aucun lien visible vers le profil/],
    ['FC-15', 'pivot identity editable', { kind: 'identity-editable' }, /identité pivot transmise par FranceConnect est modifiable/],
    ['FC-16', 'usage name read-only', { kind: 'script', js: whenRendered('#profil-nom-usage', `el.readOnly = true;`) }, /nom d’usage n’est pas modifiable/],
    ['FC-17', 'no pivot identity in the scopes', { kind: 'authorize', rewrite: (u) => u.searchParams.set('scope', 'openid email') }, /sans l'identité pivot/],
    ['FC-19', 'acr_values dropped', { kind: 'authorize', rewrite: (u) => u.searchParams.delete('acr_values') }, /acr_values vaut « \(absent\) »/],
    ['FC-20', 'a stopped flow goes home without FranceConnect’s logout', { kind: 'no-failure-logout' }, /ne passe pas par la déconnexion de FranceConnect/],
    ['FC-20', 'a fixed state', { kind: 'authorize', rewrite: (u) => u.searchParams.set('state', FIXED_STATE) }, /state identique d'un appel à l'autre/],
    ['FC-21', 'client_id recorded by staff differs', null, /client_id envoyé à \/authorize .* au lieu de « autre-client-id »/, { target: () => ({ clientIds: { custom: 'autre-client-id' } }) }],
  ];

  it.each(variants)('%s fails alone when broken: %s', async (id, _label, variant, finding, options = {}) => {
    const tenant = await world.addTenant({ dataRetrieval: options.dataRetrieval ?? false });
    if (variant) proxy.set(tenant.slug, variant);
    const base = targetOf(tenant);
    const report = await robot({ ...base, ...(options.target?.(base) ?? {}) });
    const broken = item(report, id);
    expect(broken?.verdict).toBe('failed');
    expect(broken?.findings.join('\n')).toMatch(finding);
    const others = { ...verdicts(report) };
    delete others[id];
    const expected: Record<string, string> = {};
    for (const key of Object.keys(others)) expected[key] = key === 'FC-18' || key === 'FC-11' ? 'not_verifiable' : 'passed';
    const unexpected = report.items.filter((i) => i.id !== id && i.verdict !== expected[i.id]).map((i) => `${i.id} ${i.verdict}: ${i.summary} ${i.findings.join(' | ')}`);
    expect(unexpected).toEqual([]);
  }, RUN_TIMEOUT);

  it('without a login environment, the login checks are not verifiable with the reason', async () => {
    const tenant = await world.addTenant();
    const report = await robot(targetOf(tenant, { login: null }));
    for (const id of ['FC-08', 'FC-09', 'FC-10', 'FC-12', 'FC-14', 'FC-15', 'FC-16'] as const) {
      expect(item(report, id)).toMatchObject({ verdict: 'not_verifiable', summary: expect.stringMatching(/identité de test/) });
    }
    expect(item(report, 'FC-01')?.verdict).toBe('passed');
    expect(item(report, 'FC-20')?.verdict).toBe('not_verifiable');
  }, RUN_TIMEOUT);

  it('an aborted run rejects at once and leaves no browser context behind', async () => {
    const tenant = await world.addTenant();
    const before = world.browser.contexts().length;
    const controller = new AbortController();
    const run = runQualificationRobot(targetOf(tenant), { browser: world.browser, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 300);
    await expect(run).rejects.toThrow('stop');
    // The run's contexts are closed: the browser goes back to what it had (the pool lends it to the next run).
    for (const deadline = Date.now() + 10_000; world.browser.contexts().length > before && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    expect(world.browser.contexts()).toHaveLength(before);
  }, RUN_TIMEOUT);

});
