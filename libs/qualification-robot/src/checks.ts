/**
 * Pure checks: observed facts (facts.ts) → one verdict per item, with French summary and findings
 * and JSON-safe evidence. No I/O, no browser: unit-tested with broken facts (checks.spec.ts).
 */
import { isItemApplicable, qualificationItem, type FranceConnectEnvironment, type QualificationItemId, type QualificationModes } from '@fcplat/domain';
import type { CapturedAuthorize, EndSessionFacts, RobotFacts, SectionKey, TlsFacts, ViewFacts } from './facts.js';
import { robotCheckableItems } from './items.js';
import { digest, redactAuthorizeParams } from './redact.js';
import type { RobotItemResult, RobotVerdict } from './types.js';

export const OFFICIAL_COLOURS = {
  light: { background: '#000091', hover: '#1212ff', active: '#2323ff', text: '#f5f5fe' },
  dark: { background: '#8585f6', hover: '#b1b1f9', active: '#c6c6fb', text: '#000091' },
} as const;
export const BUTTON_SIZE = { width: 209, height: 56 } as const;
export const SIZE_TOLERANCE_PX = 1;
export const RATIO_TOLERANCE = 0.03;
export const LINK_GAP_PX = 8;
export const BUTTON_LABEL = "S'identifier avec FranceConnect";
export const DATA_BUTTON_LABEL = 'Récupérer ses données avec FranceConnect';
export const INFO_LINK_TEXT = "Qu'est-ce que FranceConnect ?";
export const PIVOT_SCOPES = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'] as const;
/** FranceConnect's own identity scopes: any other scope of a data retrieval is a data (API Particulier) scope. */
export const IDENTITY_SCOPES = new Set(['openid', 'identite_pivot', ...PIVOT_SCOPES, 'email', 'preferred_username', 'profile', 'birth', 'address', 'phone', 'idp_birthdate', 'rnipp_given_name', 'rnipp_family_name', 'rnipp_birthdate', 'rnipp_gender', 'rnipp_birthplace', 'rnipp_birthcountry']);
const TOKEN_PATTERN = /^[0-9A-Za-z]{22,}$/;

export interface CheckContext {
  readonly modes: QualificationModes;
  readonly liveEnvironment: FranceConnectEnvironment | null;
  readonly clientIds: Partial<Record<FranceConnectEnvironment, string>>;
  /** Issuer of the login environment (the ID token hint's `iss` must be it). */
  readonly loginIssuer: string | null;
  /** Screenshot names taken, by item. */
  readonly screenshots?: Partial<Record<QualificationItemId, readonly string[]>>;
}

interface Outcome {
  readonly verdict: Exclude<RobotVerdict, 'not_applicable'>;
  readonly summary: string;
  readonly findings: readonly string[];
  readonly evidence: Record<string, unknown>;
  readonly environment: FranceConnectEnvironment | null;
}

const normalise = (text: string): string => text.replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
const px = (n: number): string => `${Math.round(n * 10) / 10}`;
const themeName = (view: ViewFacts): string => `${view.theme === 'light' ? 'thème clair' : 'thème sombre'}, ${view.rootFontPx} px`;

function verdictOf(findings: readonly string[], passSummary: string, evidence: Record<string, unknown>, environment: FranceConnectEnvironment | null, failSummary?: string): Outcome {
  return findings.length === 0
    ? { verdict: 'passed', summary: passSummary, findings: [], evidence, environment }
    : { verdict: 'failed', summary: failSummary ?? findings[0] ?? '', findings, evidence, environment };
}

function notVerifiable(reason: string, environment: FranceConnectEnvironment | null = null, evidence: Record<string, unknown> = {}): Outcome {
  return { verdict: 'not_verifiable', summary: reason, findings: [], evidence, environment };
}

/** Size check: 209 × 56 scaled to the root font (± 1 px), or larger with the same ratio. */
export function buttonSizeProblem(width: number, height: number, rootFontPx: number): string | null {
  const scale = rootFontPx / 16;
  const w = BUTTON_SIZE.width * scale;
  const h = BUTTON_SIZE.height * scale;
  const exact = Math.abs(width - w) <= SIZE_TOLERANCE_PX && Math.abs(height - h) <= SIZE_TOLERANCE_PX;
  const ratio = height > 0 ? width / height : 0;
  const largerSameRatio = width >= w - SIZE_TOLERANCE_PX && height >= h - SIZE_TOLERANCE_PX && Math.abs(ratio - BUTTON_SIZE.width / BUTTON_SIZE.height) < RATIO_TOLERANCE;
  if (exact || largerSameRatio) return null;
  return `bouton de ${px(width)} × ${px(height)} px au lieu de ${px(w)} × ${px(h)} px (ou plus grand aux mêmes proportions)`;
}

const SECTION_TITLES: Record<SectionKey, string> = { connexion: 'Connexion', inscription: 'Inscription' };

/** FC-01 / FC-03: the button of one section, in every view: present, label, logo, size, colours, sentence above. */
export function checkButtonSection(views: readonly ViewFacts[], key: SectionKey): { findings: string[]; evidence: Record<string, unknown> } {
  const findings = new Set<string>();
  const measures: Record<string, unknown>[] = [];
  const where = `section « ${SECTION_TITLES[key]} »`;
  for (const view of views) {
    const section = view.sections[key];
    const v = themeName(view);
    if (!section.found) {
      findings.add(`La ${where} est introuvable (aucun titre « ${SECTION_TITLES[key]} » visible).`);
      continue;
    }
    const button = section.button;
    if (!button) {
      findings.add(`Aucun bouton FranceConnect dans la ${where}.`);
      continue;
    }
    const colours = OFFICIAL_COLOURS[view.theme];
    measures.push({ theme: view.theme, rootFontPx: view.rootFontPx, width: button.width, height: button.height, rest: button.rest, hover: button.hover, active: button.active, sentenceGap: section.sentence.gap });
    if (normalise(button.label) !== BUTTON_LABEL) findings.add(`Libellé du bouton de la ${where} : « ${normalise(button.label)} » au lieu de « ${BUTTON_LABEL} ».`);
    if (button.brandWeight === null || button.brandWeight < 700) findings.add(`« FranceConnect » n'est pas en gras dans le bouton de la ${where}.`);
    if (button.loginWeight !== null && button.loginWeight >= 700) findings.add(`« S'identifier avec » est en gras dans le bouton de la ${where} (il doit être en graisse normale).`);
    if (!button.logo) findings.add(`Le logo FranceConnect manque dans le bouton de la ${where}.`);
    if (button.target !== null && button.target !== '_self') findings.add(`Le bouton de la ${where} ouvre une autre fenêtre (target=${button.target}).`);
    const size = buttonSizeProblem(button.width, button.height, view.rootFontPx);
    if (size) findings.add(`Taille du bouton de la ${where} (${v}) : ${size}.`);
    const states: [string, { background: string; text: string } | null, string][] = [
      ['au repos', button.rest, colours.background],
      ['au survol', button.hover, colours.hover],
      ['à l’appui', button.active, colours.active],
    ];
    for (const [state, measured, background] of states) {
      if (!measured) {
        findings.add(`Couleur du bouton de la ${where} ${state} non mesurée (${v}).`);
        continue;
      }
      if (measured.background !== background) findings.add(`Couleur de fond du bouton de la ${where} ${state} (${v}) : ${measured.background} au lieu de ${background}.`);
      if (measured.text !== colours.text) findings.add(`Couleur du texte du bouton de la ${where} ${state} (${v}) : ${measured.text} au lieu de ${colours.text}.`);
    }
    if (!section.sentence.found) findings.add(`La phrase « FranceConnect est la solution proposée par l'État… » manque dans la ${where}.`);
    else if (!section.sentence.above || section.sentence.gap === null || section.sentence.gap > 48 * (view.rootFontPx / 16)) {
      findings.add(`La phrase « FranceConnect est la solution proposée par l'État… » n'est pas juste au-dessus du bouton de la ${where}.`);
    }
  }
  return { findings: [...findings], evidence: { section: key, views: measures } };
}

/** FC-02 / FC-04: « Qu'est-ce que FranceConnect ? » under the button of one section. */
export function checkInfoLink(views: readonly ViewFacts[], key: SectionKey): { findings: string[]; evidence: Record<string, unknown> } {
  const findings = new Set<string>();
  const measures: Record<string, unknown>[] = [];
  const where = `section « ${SECTION_TITLES[key]} »`;
  for (const view of views) {
    const section = view.sections[key];
    if (!section.found || !section.button) continue; // reported by FC-01 / FC-03
    const link = section.link;
    const v = themeName(view);
    if (!link || !link.visible) {
      findings.add(`Le lien « ${INFO_LINK_TEXT} » manque sous le bouton de la ${where}.`);
      continue;
    }
    const scale = view.rootFontPx / 16;
    measures.push({ theme: view.theme, rootFontPx: view.rootFontPx, gap: link.gap, fontSize: link.fontSize, underline: link.underline, href: link.href, target: link.target, title: link.title });
    if (normalise(link.text) !== INFO_LINK_TEXT) findings.add(`Texte du lien de la ${where} : « ${normalise(link.text)} » au lieu de « ${INFO_LINK_TEXT} ».`);
    if (!link.href || !/^https:\/\/franceconnect\.gouv\.fr\/?$/.test(link.href)) findings.add(`Le lien de la ${where} mène à ${link.href ?? '(aucune adresse)'} au lieu de https://franceconnect.gouv.fr.`);
    if (link.target !== '_blank') findings.add(`Le lien de la ${where} ne s'ouvre pas dans une nouvelle fenêtre.`);
    if (!link.title || !/nouvelle fenêtre/i.test(link.title)) findings.add(`Le titre du lien de la ${where} n'annonce pas l'ouverture d'une nouvelle fenêtre.`);
    if (Math.abs(link.gap - LINK_GAP_PX * scale) > SIZE_TOLERANCE_PX) findings.add(`Le lien de la ${where} est à ${px(link.gap)} px sous le bouton au lieu de ${px(LINK_GAP_PX * scale)} px (${v}).`);
    if (Math.abs(link.fontSize - 0.875 * view.rootFontPx) > 0.5) findings.add(`Taille du texte du lien de la ${where} : ${px(link.fontSize)} px au lieu de ${px(0.875 * view.rootFontPx)} px (${v}).`);
    if (!link.underline) findings.add(`Le lien de la ${where} n'a pas l'apparence d'un lien (non souligné, ${v}).`);
  }
  return { findings: [...findings], evidence: { section: key, views: measures } };
}

function sectionKeys(modes: QualificationModes): SectionKey[] {
  return modes.connexion ? ['connexion', 'inscription'] : ['connexion'];
}

/** FC-05, FC-06, FC-07 over the sections, every view. */
export function checkLayout(views: readonly ViewFacts[], id: 'FC-05' | 'FC-06' | 'FC-07', keys: readonly SectionKey[]): { findings: string[]; evidence: Record<string, unknown> } {
  const findings = new Set<string>();
  const evidence: Record<string, unknown> = {};
  for (const view of views) {
    for (const key of keys) {
      const section = view.sections[key];
      const where = `section « ${SECTION_TITLES[key]} »`;
      if (!section.found) {
        findings.add(`La ${where} est introuvable.`);
        continue;
      }
      if (id === 'FC-05') {
        evidence[key] = { otherMethods: section.otherMethods, above: section.otherMethodsAbove };
        if (!section.button) findings.add(`Aucun bouton FranceConnect dans la ${where}.`);
        else if (section.otherMethodsAbove.length > 0) findings.add(`Dans la ${where}, un autre moyen d'identification est placé au-dessus de FranceConnect : « ${section.otherMethodsAbove[0]} ».`);
      } else if (id === 'FC-06') {
        evidence[key] = { separator: section.separator, otherMethods: section.otherMethods };
        if (section.otherMethods > 0 && !section.separator.found) findings.add(`Aucune séparation « ou » visible entre FranceConnect et les autres moyens d'identification dans la ${where}.`);
        else if (section.otherMethods > 0 && !section.separator.between) findings.add(`La séparation « ou » de la ${where} n'est pas placée entre FranceConnect et les autres moyens d'identification.`);
      } else {
        evidence[key] = { socialMentions: section.socialMentions };
        if (section.socialMentions.length > 0) findings.add(`Connexion par un réseau social ou un acteur privé dans la ${where} : ${section.socialMentions.join(', ')}.`);
      }
    }
  }
  return { findings: [...findings], evidence };
}

/** FC-13 from the framing facts. */
export function checkFraming(framing: RobotFacts['framing']): Outcome {
  if (!framing) return notVerifiable('Les pages du portail n’ont pas pu être observées.');
  const findings: string[] = [];
  if (framing.embeddedFrames > 0) findings.push(`${framing.embeddedFrames} cadre(s) intégré(s) (iframe, frame, object ou embed) dans les pages du portail.`);
  if (framing.windowOpenCalls > 0 || framing.popups > 0) findings.push(`Le portail ouvre des fenêtres pop-up (${framing.windowOpenCalls} appel(s) à window.open, ${framing.popups} fenêtre(s)).`);
  const ancestors = /(?:^|;)\s*frame-ancestors\s+([^;]*)/i.exec(framing.contentSecurityPolicy ?? '')?.[1]?.trim().toLowerCase() ?? null;
  const cspOk = ancestors === "'none'" || ancestors === "'self'";
  const xfo = framing.xFrameOptions?.trim().toUpperCase() ?? null;
  const xfoOk = xfo === 'DENY' || xfo === 'SAMEORIGIN';
  if (!cspOk && !xfoOk) findings.push('Les en-têtes de la page ne refusent pas l’affichage dans un cadre (ni « frame-ancestors ’none’ » ni X-Frame-Options DENY ou SAMEORIGIN).');
  if (framing.framingAttempt === 'displayed') findings.push('Le portail s’affiche dans un cadre (iframe) d’un autre site.');
  const evidence = { ...framing, frameAncestors: ancestors };
  if (findings.length === 0 && framing.framingAttempt === 'unknown') return notVerifiable('La tentative d’affichage du portail dans un cadre n’a pas pu être conclue.', null, evidence);
  return verdictOf(findings, 'Ni iframe ni pop-up ; le portail refuse d’être affiché dans un cadre (en-têtes et essai réel).', evidence, null);
}

/** FC-18: TLS versions accepted by the portal's https address. */
export function checkTls(tls: TlsFacts | null): Outcome {
  if (!tls) return notVerifiable('La vérification TLS n’a pas pu être faite.');
  if (tls.scheme === 'http') {
    return notVerifiable('Sans objet ici : le portail est servi en HTTP (bac à sable) ; la vérification TLS porte sur une adresse https', null, { scheme: 'http' });
  }
  const evidence = { host: tls.host, port: tls.port, attempts: tls.attempts };
  const old = tls.attempts.filter((a) => a.maxVersion === 'TLSv1.1');
  const modern = tls.attempts.filter((a) => a.maxVersion !== 'TLSv1.1');
  const findings: string[] = [];
  const acceptedOld = old.filter((a) => a.connected);
  if (acceptedOld.length > 0) findings.push(`Le portail accepte ${acceptedOld.map((a) => a.negotiated ?? 'TLS < 1.2').join(', ')} (seuls TLS 1.2 et 1.3 sont admis).`);
  if (!modern.some((a) => a.connected)) findings.push('Le portail n’accepte ni TLS 1.2 ni TLS 1.3.');
  if (findings.length === 0 && old.every((a) => a.clientUnsupported)) {
    return notVerifiable('Le client TLS du robot ne sait pas proposer TLS 1.0/1.1 : le refus de ces versions n’a pas pu être prouvé.', null, evidence);
  }
  const negotiated = modern.filter((a) => a.connected).map((a) => a.negotiated).join(' et ');
  return verdictOf(findings, `TLS 1.0 et 1.1 refusés ; ${negotiated} acceptés.`, evidence, null);
}

function scopesOf(a: CapturedAuthorize): string[] {
  return (a.params['scope'] ?? '').split(/\s+/).filter(Boolean);
}

export function hasPivotIdentity(scopes: readonly string[]): boolean {
  return scopes.includes('openid') && (scopes.includes('identite_pivot') || PIVOT_SCOPES.every((s) => scopes.includes(s)));
}

const originLabel: Record<CapturedAuthorize['origin'], string> = {
  live: 'portail en service',
  login: 'connexion',
  signup: 'inscription',
  data_retrieval: 'récupération de données',
  nonce_tamper: 'essai de nonce modifié',
};

function protocolEvidence(authorizes: readonly CapturedAuthorize[]): Record<string, unknown>[] {
  return authorizes.map((a) => ({ origin: a.origin, environment: a.environment, endpoint: a.endpoint, params: redactAuthorizeParams(a.params) }));
}

function protocolEnvironment(facts: RobotFacts, ctx: CheckContext): FranceConnectEnvironment | null {
  return facts.liveAttempts > 0 ? ctx.liveEnvironment : (facts.authorizes[0]?.environment ?? null);
}

export function checkScopes(facts: RobotFacts, ctx: CheckContext): Outcome {
  const authorizes = facts.authorizes.filter((a) => a.origin !== 'nonce_tamper');
  if (authorizes.length === 0) return notVerifiable(facts.missing['live'] ?? 'Aucun appel à /authorize n’a pu être observé.');
  const findings = authorizes.filter((a) => !hasPivotIdentity(scopesOf(a))).map((a) => `Scopes demandés (${originLabel[a.origin]}) sans l'identité pivot : « ${a.params['scope'] ?? ''} ».`);
  const scopes = [...new Set(authorizes.flatMap(scopesOf))];
  return verdictOf([...new Set(findings)], `Identité pivot demandée sur les ${authorizes.length} appels à /authorize observés.`, { scopes, authorizes: protocolEvidence(authorizes) }, protocolEnvironment(facts, ctx));
}

export function checkAcr(facts: RobotFacts, ctx: CheckContext): Outcome {
  const authorizes = facts.authorizes.filter((a) => a.origin !== 'nonce_tamper');
  if (authorizes.length === 0) return notVerifiable(facts.missing['live'] ?? 'Aucun appel à /authorize n’a pu être observé.');
  const findings = authorizes.filter((a) => a.params['acr_values'] !== 'eidas1').map((a) => `acr_values vaut « ${a.params['acr_values'] ?? '(absent)'} » au lieu de « eidas1 » (${originLabel[a.origin]}).`);
  return verdictOf([...new Set(findings)], `acr_values=eidas1 sur les ${authorizes.length} appels à /authorize observés.`, { acrValues: authorizes.map((a) => a.params['acr_values'] ?? null) }, protocolEnvironment(facts, ctx));
}

export function checkStateNonce(facts: RobotFacts, ctx: CheckContext): Outcome {
  const authorizes = facts.authorizes.filter((a) => a.origin !== 'nonce_tamper');
  if (authorizes.length === 0) return notVerifiable(facts.missing['live'] ?? 'Aucun appel à /authorize n’a pu être observé.');
  const findings: string[] = [];
  for (const name of ['state', 'nonce'] as const) {
    const values = authorizes.map((a) => a.params[name] ?? '');
    const bad = values.filter((v) => !TOKEN_PATTERN.test(v));
    if (bad.length > 0) findings.push(`${name} non conforme sur ${bad.length} appel(s) : ${bad.map((v) => `${v.length} caractère(s)${/[^0-9A-Za-z]/.test(v) ? ' hors [0-9A-Za-z]' : ''}`).join(', ')} (au moins 22 caractères [0-9A-Za-z] exigés).`);
    if (new Set(values).size !== values.length) findings.push(`${name} identique d'un appel à l'autre (${values.length} appels, ${new Set(values).size} valeur(s) distincte(s)) : il doit être aléatoire et unique par session.`);
  }
  if (facts.liveAttempts > 0 && authorizes.length < 3) findings.push(`Seulement ${authorizes.length} appel(s) à /authorize observé(s) : l'unicité demande au moins 3 essais.`);
  const tampers: Record<string, unknown> = {};
  for (const [name, tamper] of [['state', facts.stateTamper], ['nonce', facts.nonceTamper]] as const) {
    if (!tamper) continue;
    tampers[name] = tamper;
    if (!tamper.attempted) continue;
    if (tamper.loggedIn) findings.push(`Avec un ${name} modifié, la cinématique continue : l'usager est connecté.`);
    else if (!tamper.backOnHome) findings.push(`Avec un ${name} modifié, le portail ne revient pas à sa page d'accueil.`);
    else if (!tamper.errorCode) findings.push(`Avec un ${name} modifié, le portail revient à l'accueil sans signaler l'erreur.`);
    if (!tamper.loggedIn && !tamper.endSessionReached) findings.push(`Avec un ${name} modifié, le portail ne passe pas par la déconnexion de FranceConnect (end_session) avant de revenir à l'accueil.`);
  }
  const evidence = {
    attempts: authorizes.length,
    states: authorizes.map((a) => digest(a.params['state'] ?? '')),
    nonces: authorizes.map((a) => digest(a.params['nonce'] ?? '')),
    tampering: tampers,
  };
  const environment = protocolEnvironment(facts, ctx);
  if (findings.length > 0) return verdictOf(findings, '', evidence, environment);
  if (!facts.stateTamper?.attempted) {
    // Why: the attempt's own failure, or the live phase's interruption (then no attempt was recorded).
    const why = facts.stateTamper?.failure ?? facts.missing['live'] ?? null;
    return notVerifiable(`Format et unicité conformes, mais la modification du state n'a pas pu être essayée${why ? ` (${why})` : ''}.`, environment, evidence);
  }
  if (!facts.nonceTamper?.attempted) {
    return notVerifiable(`Format et unicité conformes, state modifié refusé ; la modification du nonce demande une connexion : ${facts.missing['login'] ?? facts.nonceTamper?.failure ?? 'non essayée'}.`, environment, evidence);
  }
  return verdictOf(
    [],
    `state et nonce de ${Math.min(...evidence.states.map((s) => s.length), ...evidence.nonces.map((s) => s.length))} caractères ou plus, uniques sur ${authorizes.length} essais ; un state ou un nonce modifié ramène à l'accueil avec une erreur, après une déconnexion de FranceConnect.`,
    evidence,
    environment,
  );
}

export function checkClientId(facts: RobotFacts, ctx: CheckContext): Outcome {
  const authorizes = facts.authorizes.filter((a) => a.origin !== 'nonce_tamper');
  if (authorizes.length === 0) return notVerifiable(facts.missing['live'] ?? 'Aucun appel à /authorize n’a pu être observé.');
  const findings = new Set<string>();
  const unknown = new Set<string>();
  const compared: Record<string, unknown>[] = [];
  for (const a of authorizes) {
    const expected = a.environment ? ctx.clientIds[a.environment] : undefined;
    const sent = a.params['client_id'] ?? null;
    compared.push({ origin: a.origin, environment: a.environment, sent, expected: expected ?? null });
    if (!expected) unknown.add(a.environment ?? 'inconnu');
    else if (sent !== expected) findings.add(`client_id envoyé à /authorize (${originLabel[a.origin]}, environnement ${a.environment}) : « ${sent ?? '(absent)'} » au lieu de « ${expected} » enregistré pour cet environnement.`);
  }
  const environment = protocolEnvironment(facts, ctx);
  if (findings.size === 0 && unknown.size > 0) return notVerifiable(`Aucun client_id enregistré pour l'environnement ${[...unknown].join(', ')} : comparaison impossible.`, environment, { compared });
  return verdictOf([...findings], `client_id de /authorize identique à celui enregistré (${[...new Set(authorizes.map((a) => a.environment))].join(', ')}).`, { compared }, environment);
}

function checkEndSession(what: 'déconnexion' | 'suppression du compte', facts: EndSessionFacts | null, authorizes: readonly CapturedAuthorize[], issuer: string | null): string[] {
  if (!facts) return [`La ${what} n'a pas pu être essayée.`];
  if (!facts.activated) return [`Commande de ${what} introuvable.`];
  const findings: string[] = [];
  if (!facts.endSessionReached) findings.push(`La ${what} ne passe pas par la fin de session FranceConnect (end_session_endpoint non appelé).`);
  else if (!facts.hint) findings.push(`La ${what} appelle end_session sans id_token_hint.`);
  else {
    const clientIds = new Set(authorizes.filter((a) => a.origin !== 'live').map((a) => a.params['client_id']).filter((c): c is string => !!c));
    if (!facts.hint.aud.some((aud) => clientIds.has(aud))) findings.push(`L'id_token_hint de la ${what} n'est pas destiné au client du portail (aud ${facts.hint.aud.join(', ') || 'absent'}).`);
    if (issuer && facts.hint.iss !== issuer) findings.push(`L'id_token_hint de la ${what} n'a pas été émis par ${issuer} (iss ${facts.hint.iss ?? 'absent'}).`);
  }
  if (!facts.backOnPortal) findings.push(`Après la ${what}, le navigateur ne revient pas sur le portail.`);
  return findings;
}

/** All items, in catalogue order: applicable ones checked, the others `not_applicable`. */
export function evaluate(facts: RobotFacts, ctx: CheckContext): RobotItemResult[] {
  return robotCheckableItems().map((id) => {
    const item = qualificationItem(id);
    const screenshots = ctx.screenshots?.[id] ?? [];
    if (!isItemApplicable(item, ctx.modes)) {
      return { id, verdict: 'not_applicable', summary: 'Sans objet pour les usages de FranceConnect de ce service.', findings: [], evidence: {}, environment: null, screenshots: [] };
    }
    const outcome = evaluateOne(id, facts, ctx);
    return { id, ...outcome, screenshots };
  });
}

function evaluateOne(id: QualificationItemId, facts: RobotFacts, ctx: CheckContext): Outcome {
  const views = facts.views;
  const login = facts.login;
  const loginEnv = login?.environment ?? null;
  const needViews = (): Outcome => notVerifiable(facts.missing['page'] ?? 'La page d’accueil du portail n’a pas pu être mesurée.');
  const needLogin = (): Outcome => notVerifiable(facts.missing['login'] ?? 'La connexion avec l’identité de test n’a pas pu être faite.', loginEnv);
  switch (id) {
    case 'FC-01':
    case 'FC-03': {
      if (!views) return needViews();
      const key = id === 'FC-01' ? 'connexion' : 'inscription';
      const { findings, evidence } = checkButtonSection(views, key);
      const first = views[0]?.sections[key].button;
      return verdictOf(findings, `Bouton ${first ? `${px(first.width)} × ${px(first.height)} px` : ''} dans la section « ${SECTION_TITLES[key]} », phrase au-dessus, couleurs officielles en thème clair et sombre, proportions gardées à 20 px.`, evidence, null);
    }
    case 'FC-02':
    case 'FC-04': {
      if (!views) return needViews();
      const key = id === 'FC-02' ? 'connexion' : 'inscription';
      const { findings, evidence } = checkInfoLink(views, key);
      if (id === 'FC-04' && !views.some((v) => v.sections.inscription.button)) findings.unshift('Aucun bouton FranceConnect dans la section « Inscription » : le lien ne peut pas y figurer.');
      return verdictOf(findings, `Lien « ${INFO_LINK_TEXT} » ${LINK_GAP_PX} px sous le bouton de la section « ${SECTION_TITLES[key]} », vers https://franceconnect.gouv.fr dans une nouvelle fenêtre annoncée.`, evidence, null);
    }
    case 'FC-05':
    case 'FC-06':
    case 'FC-07': {
      if (!views) return needViews();
      const { findings, evidence } = checkLayout(views, id, sectionKeys(ctx.modes));
      const pass = { 'FC-05': 'FranceConnect est le premier moyen d’identification des sections Connexion et Inscription.', 'FC-06': 'Une séparation « ou » visible sépare FranceConnect des autres moyens d’identification.', 'FC-07': 'Aucune connexion par réseau social ou acteur privé dans les sections Connexion et Inscription.' }[id];
      return verdictOf(findings, pass, evidence, null);
    }
    case 'FC-08': {
      if (!login) return needLogin();
      const findings: string[] = [];
      const evidence: Record<string, unknown> = {};
      if (ctx.modes.connexion) {
        const l = login.login;
        evidence['login'] = l;
        if (!l) findings.push('La connexion avec FranceConnect n’a pas pu être essayée.');
        else if (!l.authorizeReached) findings.push(`Le bouton « ${BUTTON_LABEL} » de la section Connexion ne mène pas à FranceConnect${l.failure ? ` (${l.failure})` : ''}.`);
        else if (!l.loggedIn) findings.push(`La connexion avec FranceConnect n'aboutit pas${l.errorCode ? ` (erreur « ${l.errorCode} »)` : ''}${l.failure ? ` (${l.failure})` : ''}.`);
      }
      if (ctx.modes.dataRetrieval) {
        const d = login.dataRetrieval;
        evidence['dataRetrieval'] = d ? { ...d, dataScopes: d.scopes.filter((s) => !IDENTITY_SCOPES.has(s)) } : null;
        if (!d || !d.buttonFound) findings.push(`Bouton « ${DATA_BUTTON_LABEL} » introuvable sur le profil.`);
        else if (!d.authorizeReached) findings.push(`Le bouton « ${DATA_BUTTON_LABEL} » ne mène pas à FranceConnect${d.failure ? ` (${d.failure})` : ''}.`);
        else if (!d.scopes.some((s) => !IDENTITY_SCOPES.has(s))) findings.push('La récupération de données ne demande aucun scope API Particulier à FranceConnect.');
        else if (!d.backOnPortal || d.errorCode) findings.push(`La récupération de données n'aboutit pas${d.errorCode ? ` (erreur « ${d.errorCode} »)` : ''}.`);
      }
      const parts = [ctx.modes.connexion ? 'connexion avec FranceConnect réussie' : null, ctx.modes.dataRetrieval ? `« ${DATA_BUTTON_LABEL} » mène à /authorize avec les scopes API Particulier et revient au portail` : null].filter(Boolean);
      return verdictOf(findings, `${parts.join(' ; ')} (environnement ${login.environment}).`.replace(/^./, (c) => c.toUpperCase()), evidence, loginEnv);
    }
    case 'FC-09':
    case 'FC-12': {
      if (!login) return needLogin();
      const facts2 = id === 'FC-09' ? login.logout : login.deletion;
      const what = id === 'FC-09' ? 'déconnexion' : 'suppression du compte';
      const findings = checkEndSession(what, facts2, facts.authorizes, login.issuer);
      const evidence = { ...(facts2 ?? {}) };
      return verdictOf(findings, `La ${what} appelle end_session de FranceConnect avec un id_token_hint du client (aud) émis par ${login.issuer} (iss), puis revient au portail.`, evidence, loginEnv);
    }
    case 'FC-10': {
      if (!login) return needLogin();
      const s = login.signup;
      const findings: string[] = [];
      if (!s) findings.push('L’inscription avec FranceConnect n’a pas pu être essayée.');
      else if (!s.authorizeReached) findings.push(`Le bouton FranceConnect de la section Inscription ne mène pas à FranceConnect${s.errorCode ? ` (erreur « ${s.errorCode} »)` : ''}${s.failure ? ` (${s.failure})` : ''}.`);
      else if (!s.loggedIn) findings.push(`L'inscription avec FranceConnect ne crée pas de compte connecté${s.errorCode ? ` (erreur « ${s.errorCode} »)` : ''}.`);
      return verdictOf(findings, `Inscription avec FranceConnect depuis la section Inscription : compte créé et usager connecté (environnement ${login.environment}).`, { signup: s }, loginEnv);
    }
    case 'FC-11':
      return notVerifiable('La réconciliation de comptes demande un compte local préexistant et une décision de l’usager : elle est attestée par une personne.', null);
    case 'FC-13':
      return checkFraming(facts.framing);
    case 'FC-14': {
      if (!login) return needLogin();
      const p = login.profile;
      const findings: string[] = [];
      if (!p) findings.push('Le portail n’a pas pu être observé après la connexion.');
      else {
        if (!p.connectedIndicator) findings.push('Après la connexion, rien n’indique clairement que l’usager est connecté (ni « connecté(e) » ni commande de déconnexion visibles).');
        if (!p.profileLink) findings.push('Aucun lien visible vers le profil après la connexion.');
        else if (!p.profileReached) findings.push('Le lien vers le profil ne mène pas au profil.');
      }
      return verdictOf(findings, 'L’usager connecté le voit (« connecté(e) », déconnexion) et accède à son profil.', { profile: p }, loginEnv);
    }
    case 'FC-15': {
      if (!login) return needLogin();
      const p = login.profile;
      const findings: string[] = [];
      if (!p || !p.profileShown) findings.push('Le profil n’a pas pu être affiché après la connexion.');
      else {
        if (!p.identitySection || p.pivotFieldsShown === 0) findings.push('Le profil ne montre pas l’identité transmise par FranceConnect.');
        if (p.pivotEditable.length > 0) findings.push(`L'identité pivot transmise par FranceConnect est modifiable sur le profil : ${p.pivotEditable.join(', ')}.`);
      }
      return verdictOf(findings, `Identité pivot affichée (${p?.pivotFieldsShown ?? 0} champs) sans aucun moyen de la modifier.`, { pivotFieldsShown: p?.pivotFieldsShown ?? null, pivotEditable: p?.pivotEditable ?? null }, loginEnv);
    }
    case 'FC-16': {
      if (!login) return needLogin();
      const p = login.profile;
      const findings: string[] = [];
      if (!p || !p.profileShown) findings.push('Le profil n’a pas pu être affiché après la connexion.');
      else {
        if (!p.usageNameEditable) findings.push('Le nom d’usage n’est pas modifiable sur le profil.');
        if (!p.emailEditable) findings.push('L’adresse e-mail n’est pas modifiable sur le profil.');
      }
      return verdictOf(findings, 'Nom d’usage et adresse e-mail modifiables sur le profil.', { usageNameEditable: p?.usageNameEditable ?? null, emailEditable: p?.emailEditable ?? null }, loginEnv);
    }
    case 'FC-17':
      return checkScopes(facts, ctx);
    case 'FC-18':
      return checkTls(facts.tls);
    case 'FC-19':
      return checkAcr(facts, ctx);
    case 'FC-20':
      return checkStateNonce(facts, ctx);
    case 'FC-21':
      return checkClientId(facts, ctx);
    default:
      return notVerifiable('Vérification réservée à une personne.');
  }
}
