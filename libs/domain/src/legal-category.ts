/**
 * Public-body check from the INSEE legal category (« catégorie juridique », `nature_juridique` in
 * the Recherche d'entreprises API: 4 digits, e.g. `7210`).
 *
 * - `7xxx` « Personne morale et organisme soumis au droit administratif » → `public_administrative`
 *   (State, local authorities, administrative public bodies, GIP...): the usual FranceConnect and
 *   API Particulier clients.
 * - `4xxx` « Personne morale de droit public soumise au droit commercial » (EPIC, régies à caractère
 *   industriel ou commercial...) → `public_commercial`: public, but check their mission case by case.
 * - anything else → `not_public`. This includes `3110`/`3210` (foreign States and their agencies),
 *   which data.gouv's "service public" extract counts but which cannot hold French habilitations.
 *
 * Labels come from INSEE's nomenclature as published by the Recherche d'entreprises API
 * (`app/labels/natures-juridiques.json`, see docs/domain.md §4).
 */

export const PUBLIC_BODY_KINDS = ['public_administrative', 'public_commercial', 'not_public'] as const;
export type PublicBodyKind = (typeof PUBLIC_BODY_KINDS)[number];

export const PUBLIC_BODY_KIND_LABELS: Readonly<Record<PublicBodyKind, string>> = {
  public_administrative: 'Personne morale de droit public soumise au droit administratif',
  public_commercial: 'Personne morale de droit public soumise au droit commercial',
  not_public: 'Organisme qui n’est pas une personne morale de droit public',
};

/** INSEE labels of the public legal categories (4xxx and 7xxx). */
export const PUBLIC_LEGAL_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  '4110': 'Établissement public national à caractère industriel ou commercial doté d’un comptable public',
  '4120': 'Établissement public national à caractère industriel ou commercial non doté d’un comptable public',
  '4130': 'Exploitant public',
  '4140': 'Établissement public local à caractère industriel ou commercial',
  '4150': 'Régie d’une collectivité locale à caractère industriel ou commercial',
  '4160': 'Institution Banque de France',
  '7111': 'Autorité constitutionnelle',
  '7112': 'Autorité administrative ou publique indépendante',
  '7113': 'Ministère',
  '7120': 'Service central d’un ministère',
  '7150': 'Service du ministère de la Défense',
  '7160': 'Service déconcentré à compétence nationale d’un ministère (hors Défense)',
  '7171': 'Service déconcentré de l’État à compétence (inter) régionale',
  '7172': 'Service déconcentré de l’État à compétence (inter) départementale',
  '7179': '(Autre) Service déconcentré de l’État à compétence territoriale',
  '7190': 'École nationale non dotée de la personnalité morale',
  '7210': 'Commune et commune nouvelle',
  '7220': 'Département',
  '7225': 'Collectivité et territoire d’Outre-Mer',
  '7229': '(Autre) Collectivité territoriale',
  '7230': 'Région',
  '7312': 'Commune associée et commune déléguée',
  '7313': 'Section de commune',
  '7314': 'Ensemble urbain',
  '7321': 'Association syndicale autorisée',
  '7322': 'Association foncière urbaine',
  '7323': 'Association foncière de remembrement',
  '7331': 'Établissement public local d’enseignement',
  '7340': 'Pôle métropolitain',
  '7341': 'Secteur de commune',
  '7342': 'District urbain',
  '7343': 'Communauté urbaine',
  '7344': 'Métropole',
  '7345': 'Syndicat intercommunal à vocation multiple (SIVOM)',
  '7346': 'Communauté de communes',
  '7347': 'Communauté de villes',
  '7348': 'Communauté d’agglomération',
  '7349': 'Autre établissement public local de coopération non spécialisé ou entente',
  '7351': 'Institution interdépartementale ou entente',
  '7352': 'Institution interrégionale ou entente',
  '7353': 'Syndicat intercommunal à vocation unique (SIVU)',
  '7354': 'Syndicat mixte fermé',
  '7355': 'Syndicat mixte ouvert',
  '7356': 'Commission syndicale pour la gestion des biens indivis des communes',
  '7357': 'Pôle d’équilibre territorial et rural (PETR)',
  '7361': 'Centre communal d’action sociale (CCAS)',
  '7362': 'Caisse des écoles',
  '7363': 'Caisse de crédit municipal',
  '7364': 'Établissement d’hospitalisation',
  '7365': 'Syndicat inter hospitalier',
  '7366': 'Établissement public local social et médico-social',
  '7367': 'Centre intercommunal d’action sociale (CIAS)',
  '7371': 'Office public d’habitation à loyer modéré (OPHLM)',
  '7372': 'Service départemental d’incendie et de secours (SDIS)',
  '7373': 'Établissement public local culturel',
  '7378': 'Régie d’une collectivité locale à caractère administratif',
  '7379': '(Autre) Établissement public administratif local',
  '7381': 'Organisme consulaire',
  '7382': 'Établissement public national ayant fonction d’administration centrale',
  '7383': 'Établissement public national à caractère scientifique, culturel et professionnel',
  '7384': 'Autre établissement public national d’enseignement',
  '7385': 'Autre établissement public national administratif à compétence territoriale limitée',
  '7389': 'Établissement public national à caractère administratif',
  '7410': 'Groupement d’intérêt public (GIP)',
  '7430': 'Établissement public des cultes d’Alsace-Lorraine',
  '7450': 'Établissement public administratif, cercle et foyer dans les armées',
  '7470': 'Groupement de coopération sanitaire à gestion publique',
  '7490': 'Autre personne morale de droit administratif',
};

const CATEGORY_CODE = /^[0-9]{4}$/;

/**
 * Classifies an INSEE legal category code. Anything that is not exactly 4 digits is `not_public`
 * (the caller should validate input separately if it needs to tell "malformed" from "private").
 */
export function classifyLegalCategory(natureJuridique: string): PublicBodyKind {
  if (!CATEGORY_CODE.test(natureJuridique)) return 'not_public';
  if (natureJuridique.startsWith('7')) return 'public_administrative';
  if (natureJuridique.startsWith('4')) return 'public_commercial';
  return 'not_public';
}

/** French INSEE label of a public legal category, `undefined` for unknown or non-public codes. */
export function legalCategoryLabel(natureJuridique: string): string | undefined {
  return Object.hasOwn(PUBLIC_LEGAL_CATEGORY_LABELS, natureJuridique)
    ? PUBLIC_LEGAL_CATEGORY_LABELS[natureJuridique]
    : undefined;
}

export interface LegalCategoryDescription {
  readonly code: string;
  readonly kind: PublicBodyKind;
  readonly isPublic: boolean;
  /** INSEE label of the code when known, otherwise the label of its kind. */
  readonly label: string;
}

/** Classification plus a French label, for the console ("Commune et commune nouvelle"). */
export function describeLegalCategory(natureJuridique: string): LegalCategoryDescription {
  const kind = classifyLegalCategory(natureJuridique);
  return {
    code: natureJuridique,
    kind,
    isPublic: kind !== 'not_public',
    label: legalCategoryLabel(natureJuridique) ?? PUBLIC_BODY_KIND_LABELS[kind],
  };
}
