/**
 * The organisations known to the recherche-entreprises stand-in: REAL public bodies and companies,
 * with their real SIREN/SIRET, names, head-office addresses and INSEE legal categories.
 *
 * Where the values come from (public, checked on 2026 snapshots of these repositories):
 * - [AE] recorded answers of the real API kept as test fixtures by the Annuaire des entreprises
 *   itself: github.com/annuaire-entreprises-data-gouv-fr/site `cypress/fixtures/recherche-entreprise/*`;
 * - [DP] INSEE Sirene answers kept by DataPass: github.com/etalab/data_pass `spec/fixtures/insee/*`;
 * - [PC] INSEE answers kept by ProConnect: github.com/proconnect-gouv/proconnect-identite
 *   `packages/entreprise/src/testing/seed/**`;
 * - [ACC] a recorded answer of the real API kept in a third-party test suite (an ERP directory);
 * - [MET] a recorded INSEE answer for the CCAS de Metz (third-party test mock);
 * - [DORA] the SIRET tables of github.com/gip-inclusion/dora (régions, départements);
 * - [GEO] EPCI SIREN lists (geo.api.gouv.fr consumers).
 * Fields marked "approx." below were not found in those sources (dates, staff brackets, the exact
 * Sirene spelling of an address): they are plausible, not authoritative. Elected officials
 * (`complements.collectivite_territoriale.elus`) are deliberately left empty.
 *
 * Every SIREN and SIRET passes the Luhn check (see fixtures.spec.ts). Nothing here is a secret.
 */

export interface FixtureEstablishment {
  readonly siret: string;
  readonly estSiege: boolean;
  /** A: active, F: closed. */
  readonly etat: 'A' | 'F';
  readonly dateCreation: string | null;
  readonly dateDebutActivite: string | null;
  readonly dateFermeture?: string | null;
  readonly complementAdresse?: string | null;
  readonly numeroVoie?: string | null;
  readonly typeVoie?: string | null;
  readonly libelleVoie?: string | null;
  readonly codePostal: string;
  /** INSEE code of the commune. */
  readonly commune: string;
  readonly libelleCommune: string;
  readonly departement: string;
  readonly region: string;
  readonly epci: string | null;
  readonly activitePrincipale: string;
  readonly trancheEffectif: string | null;
  readonly caractereEmployeur?: 'O' | 'N' | null;
  readonly enseignes?: readonly string[] | null;
  readonly uai?: readonly string[] | null;
}

export interface FixtureUnit {
  readonly siren: string;
  readonly nomRaisonSociale: string;
  readonly sigle?: string | null;
  readonly natureJuridique: string;
  /** A: active, C: ceased. */
  readonly etat: 'A' | 'C';
  readonly dateCreation: string | null;
  readonly dateFermeture?: string | null;
  readonly activitePrincipale: string;
  readonly sectionActivitePrincipale: string;
  readonly categorieEntreprise: 'PME' | 'ETI' | 'GE' | null;
  readonly trancheEffectif: string | null;
  /** Real totals when a source gave them; otherwise the fixture's own establishments are counted. */
  readonly nombreEtablissements?: number;
  readonly nombreEtablissementsOuverts?: number;
  readonly collectivite?: { readonly code: string; readonly codeInsee: string | null; readonly niveau: string } | null;
  /** Member of the "espace agent" list the real API uses for `est_administration` (approx.). */
  readonly estAdministration: boolean;
  readonly establishments: readonly FixtureEstablishment[];
}

/** Métropole du Grand Paris, the EPCI of Paris and the petite couronne communes. */
const MGP = '200054781';

export const FIXTURE_UNITS: readonly FixtureUnit[] = [
  // ── Communes ────────────────────────────────────────────────────────────────────────────────
  {
    // [PC] [DP]: head office + a holiday camp closed in 2002 (the closed-establishment case).
    siren: '219200235',
    nomRaisonSociale: 'COMMUNE DE CLAMART',
    natureJuridique: '7210',
    etat: 'A',
    dateCreation: '1980-01-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI',
    trancheEffectif: '42',
    collectivite: { code: '92023', codeInsee: '92023', niveau: 'commune' },
    estAdministration: true,
    establishments: [
      {
        siret: '21920023500014',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2008-01-01',
        numeroVoie: '1',
        typeVoie: 'PLACE',
        libelleVoie: 'MAURICE GUNSBOURG',
        codePostal: '92140',
        commune: '92023',
        libelleCommune: 'CLAMART',
        departement: '92',
        region: '11',
        epci: MGP,
        activitePrincipale: '84.11Z',
        trancheEffectif: '42',
        caractereEmployeur: 'O',
        enseignes: ['MAIRIE'],
      },
      {
        siret: '21920023500022',
        estSiege: false,
        etat: 'F',
        dateCreation: '1983-03-16',
        dateDebutActivite: '2002-06-20',
        dateFermeture: '2002-06-20',
        codePostal: '86270',
        commune: '86086',
        libelleCommune: 'COUSSAY-LES-BOIS',
        departement: '86',
        region: '75',
        epci: null,
        activitePrincipale: '55.2E',
        trancheEffectif: null,
        caractereEmployeur: 'N',
        enseignes: ['COLONIE DE VACANCES COMMUNE CLAMART'],
      },
    ],
  },
  {
    // [ACC]
    siren: '216900621',
    nomRaisonSociale: 'COMMUNE DE COISE',
    natureJuridique: '7210',
    etat: 'A',
    dateCreation: '1983-03-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'PME',
    trancheEffectif: '02',
    nombreEtablissements: 5,
    nombreEtablissementsOuverts: 3,
    collectivite: { code: '69062', codeInsee: '69062', niveau: 'commune' },
    estAdministration: true,
    establishments: [
      {
        siret: '21690062100014',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2008-01-01',
        complementAdresse: 'HOTEL DE VILLE',
        codePostal: '69590',
        commune: '69062',
        libelleCommune: 'COISE',
        departement: '69',
        region: '84',
        epci: null,
        activitePrincipale: '84.11Z',
        trancheEffectif: '02',
        caractereEmployeur: 'O',
        enseignes: ['MAIRIE'],
      },
    ],
  },
  {
    // [DP]
    siren: '219300456',
    nomRaisonSociale: 'COMMUNE LES LILAS',
    natureJuridique: '7210',
    etat: 'A',
    dateCreation: '1980-01-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'PME',
    trancheEffectif: '32',
    collectivite: { code: '93045', codeInsee: '93045', niveau: 'commune' },
    estAdministration: true,
    establishments: [
      {
        siret: '21930045600015',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2008-01-01',
        numeroVoie: '1',
        typeVoie: 'PL',
        libelleVoie: 'DE LA REPUBLIQUE',
        codePostal: '93260',
        commune: '93045',
        libelleCommune: 'LES LILAS',
        departement: '93',
        region: '11',
        epci: MGP,
        activitePrincipale: '84.11Z',
        trancheEffectif: '32',
        caractereEmployeur: 'O',
        enseignes: ['MAIRIE'],
      },
    ],
  },
  {
    // [AE] Paris is a collectivité à statut particulier (7229), not a plain commune.
    siren: '217500016',
    nomRaisonSociale: 'VILLE DE PARIS',
    natureJuridique: '7229',
    etat: 'A',
    dateCreation: '1983-03-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'GE',
    trancheEffectif: '53',
    nombreEtablissements: 3015,
    nombreEtablissementsOuverts: 2906,
    collectivite: { code: '75C', codeInsee: '75056', niveau: 'particulier' },
    estAdministration: true,
    establishments: [
      {
        siret: '21750001600019',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2008-01-01',
        numeroVoie: '4',
        typeVoie: 'PL',
        libelleVoie: 'HOTEL VILLE ESP LIBERATION',
        codePostal: '75004',
        commune: '75104',
        libelleCommune: 'PARIS 04',
        departement: '75',
        region: '11',
        epci: MGP,
        activitePrincipale: '84.11Z',
        trancheEffectif: '42',
        caractereEmployeur: 'O',
        enseignes: ['MAIRIE'],
        uai: ['0755710Z'],
      },
    ],
  },
  // ── Communal public bodies ──────────────────────────────────────────────────────────────────
  {
    // [MET]
    siren: '265701342',
    nomRaisonSociale: "CENTRE COMMUNAL D'ACTION SOCIALE",
    sigle: 'CCAS',
    natureJuridique: '7361',
    etat: 'A',
    dateCreation: '1975-01-01',
    activitePrincipale: '88.99B',
    sectionActivitePrincipale: 'Q',
    categorieEntreprise: 'PME',
    trancheEffectif: '21',
    estAdministration: false,
    establishments: [
      {
        siret: '26570134200148',
        estSiege: true,
        etat: 'A',
        dateCreation: '2004-02-01',
        dateDebutActivite: '2008-01-01',
        complementAdresse: '22-24',
        numeroVoie: '22',
        typeVoie: 'RUE',
        libelleVoie: 'DU WAD BILLY',
        codePostal: '57000',
        commune: '57463',
        libelleCommune: 'METZ',
        departement: '57',
        region: '44',
        epci: null,
        activitePrincipale: '88.99B',
        trancheEffectif: '12',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [AE] An EPLE (établissement public local d'enseignement).
    siren: '198100125',
    nomRaisonSociale: 'LYCEE POLYVALENT JEAN JAURES',
    natureJuridique: '7331',
    etat: 'A',
    dateCreation: '1965-05-01',
    activitePrincipale: '85.31Z',
    sectionActivitePrincipale: 'P',
    categorieEntreprise: 'PME',
    trancheEffectif: '22',
    nombreEtablissements: 1,
    nombreEtablissementsOuverts: 1,
    estAdministration: false,
    establishments: [
      {
        siret: '19810012500014',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2016-12-25',
        complementAdresse: 'RTE DE BLAYE',
        libelleVoie: 'PARC DE LA VERRERIE',
        codePostal: '81400',
        commune: '81033',
        libelleCommune: 'BLAYE-LES-MINES',
        departement: '81',
        region: '76',
        epci: '200040905',
        activitePrincipale: '85.31Z',
        trancheEffectif: '22',
        caractereEmployeur: 'O',
        uai: ['0810012Y'],
      },
    ],
  },
  // ── Départements and région ────────────────────────────────────────────────────────────────
  {
    // [AE]
    siren: '226300010',
    nomRaisonSociale: 'DEPARTEMENT DU PUY DE DOME',
    natureJuridique: '7220',
    etat: 'A',
    dateCreation: '1982-01-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI',
    trancheEffectif: '51',
    nombreEtablissements: 44,
    nombreEtablissementsOuverts: 30,
    collectivite: { code: '63D', codeInsee: '63', niveau: 'departement' },
    estAdministration: true,
    establishments: [
      {
        siret: '22630001000015',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2008-01-01',
        numeroVoie: '24',
        typeVoie: 'RUE',
        libelleVoie: 'SAINT-ESPRIT',
        codePostal: '63000',
        commune: '63113',
        libelleCommune: 'CLERMONT-FERRAND',
        departement: '63',
        region: '84',
        epci: '246300701',
        activitePrincipale: '84.11Z',
        trancheEffectif: '42',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [DP] [DORA]
    siren: '226900017',
    nomRaisonSociale: 'DEPARTEMENT DU RHONE',
    natureJuridique: '7220',
    etat: 'A',
    dateCreation: '1982-01-01', // approx.
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI', // approx.
    trancheEffectif: '51', // approx.
    collectivite: { code: '69D', codeInsee: '69', niveau: 'departement' },
    estAdministration: true,
    establishments: [
      {
        siret: '22690001700014',
        estSiege: true,
        etat: 'A',
        dateCreation: '1983-03-01',
        dateDebutActivite: '2008-01-01',
        numeroVoie: '29',
        typeVoie: 'CRS',
        libelleVoie: 'DE LA LIBERTE',
        codePostal: '69003',
        commune: '69123',
        libelleCommune: 'LYON',
        departement: '69',
        region: '84',
        epci: '200046977',
        activitePrincipale: '84.11Z',
        trancheEffectif: '42', // approx.
        caractereEmployeur: 'O',
        enseignes: ['DEPARTEMENT DU RHONE'],
      },
    ],
  },
  {
    // [DORA] SIRET and name; address approx. (Hôtel de Courcy, avenue du Général Patton).
    siren: '233500016',
    nomRaisonSociale: 'REGION BRETAGNE',
    natureJuridique: '7230',
    etat: 'A',
    dateCreation: null,
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI', // approx.
    trancheEffectif: '52', // approx.
    collectivite: { code: '53', codeInsee: '53', niveau: 'region' },
    estAdministration: true,
    establishments: [
      {
        siret: '23350001600040',
        estSiege: true,
        etat: 'A',
        dateCreation: null,
        dateDebutActivite: null,
        numeroVoie: '283',
        typeVoie: 'AV',
        libelleVoie: 'DU GENERAL PATTON',
        codePostal: '35700',
        commune: '35238',
        libelleCommune: 'RENNES',
        departement: '35',
        region: '53',
        epci: '243500139',
        activitePrincipale: '84.11Z',
        trancheEffectif: '42', // approx.
        caractereEmployeur: 'O',
        enseignes: ['CONSEIL REGIONAL'],
      },
    ],
  },
  // ── Intercommunalités ───────────────────────────────────────────────────────────────────────
  {
    // [GEO] SIREN; SIRET from a public sample; address approx. (esplanade Charles-de-Gaulle).
    siren: '243300316',
    nomRaisonSociale: 'BORDEAUX METROPOLE',
    natureJuridique: '7344',
    etat: 'A',
    dateCreation: null,
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI', // approx.
    trancheEffectif: '52', // approx.
    collectivite: { code: '243300316', codeInsee: null, niveau: 'epci' },
    estAdministration: true,
    establishments: [
      {
        siret: '24330031600011',
        estSiege: true,
        etat: 'A',
        dateCreation: null,
        dateDebutActivite: null,
        typeVoie: 'ESP',
        libelleVoie: 'CHARLES DE GAULLE',
        codePostal: '33000',
        commune: '33063',
        libelleCommune: 'BORDEAUX',
        departement: '33',
        region: '75',
        epci: '243300316',
        activitePrincipale: '84.11Z',
        trancheEffectif: '52', // approx.
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [AE]
    siren: '200035715',
    nomRaisonSociale: 'CARCASSONNE AGGLO',
    natureJuridique: '7348',
    etat: 'A',
    dateCreation: '2013-01-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI',
    trancheEffectif: '41',
    nombreEtablissements: 27,
    nombreEtablissementsOuverts: 26,
    collectivite: { code: '200035715', codeInsee: null, niveau: 'epci' },
    estAdministration: true,
    establishments: [
      {
        siret: '20003571500016',
        estSiege: true,
        etat: 'A',
        dateCreation: '2013-01-01',
        dateDebutActivite: '2013-01-01',
        numeroVoie: '1',
        typeVoie: 'RUE',
        libelleVoie: 'PIERRE GERMAIN',
        codePostal: '11000',
        commune: '11069',
        libelleCommune: 'CARCASSONNE',
        departement: '11',
        region: '76',
        epci: '200035715',
        activitePrincipale: '84.11Z',
        trancheEffectif: '41',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [AE]
    siren: '200067932',
    nomRaisonSociale: 'CA GOLFE DU MORBIHAN - VANNES AGGLOMERATION',
    natureJuridique: '7348',
    etat: 'A',
    dateCreation: '2017-01-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI',
    trancheEffectif: '41',
    nombreEtablissements: 19,
    nombreEtablissementsOuverts: 19,
    collectivite: { code: '200067932', codeInsee: null, niveau: 'epci' },
    estAdministration: true,
    establishments: [
      {
        siret: '20006793200018',
        estSiege: true,
        etat: 'A',
        dateCreation: '2017-01-01',
        dateDebutActivite: '2017-01-01',
        numeroVoie: '30',
        typeVoie: 'RUE',
        libelleVoie: 'ALFRED KASTLER',
        codePostal: '56000',
        commune: '56260',
        libelleCommune: 'VANNES',
        departement: '56',
        region: '53',
        epci: '200067932',
        activitePrincipale: '84.11Z',
        trancheEffectif: '32',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [PC]
    siren: '200071843',
    nomRaisonSociale: 'CC DU VEXIN NORMAND',
    natureJuridique: '7346',
    etat: 'A',
    dateCreation: '2017-01-01',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'PME',
    trancheEffectif: '22',
    collectivite: { code: '200071843', codeInsee: null, niveau: 'epci' },
    estAdministration: true,
    establishments: [
      {
        siret: '20007184300060',
        estSiege: true,
        etat: 'A',
        dateCreation: '2021-01-27',
        dateDebutActivite: '2021-01-27',
        numeroVoie: '3',
        typeVoie: 'RUE',
        libelleVoie: 'MAISON DE VATIMESNIL',
        codePostal: '27150',
        commune: '27226',
        libelleCommune: 'ETREPAGNY',
        departement: '27',
        region: '28',
        epci: '200071843',
        activitePrincipale: '84.11Z',
        trancheEffectif: '22',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [AE] Head office NIC 00031: the siège is not always the first establishment.
    siren: '247900798',
    nomRaisonSociale: 'COMMUNAUTE DE COMMUNES DU THOUARSAIS',
    natureJuridique: '7346',
    etat: 'A',
    dateCreation: '1998-12-29',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI',
    trancheEffectif: '32',
    nombreEtablissements: 27,
    nombreEtablissementsOuverts: 15,
    collectivite: { code: '247900798', codeInsee: null, niveau: 'epci' },
    estAdministration: true,
    establishments: [
      {
        siret: '24790079800031',
        estSiege: true,
        etat: 'A',
        dateCreation: '2000-03-01',
        dateDebutActivite: '2008-01-01',
        complementAdresse: 'HOTEL DES COMMUNES',
        numeroVoie: '4',
        typeVoie: 'RUE',
        libelleVoie: 'DE LA TREMOILLE',
        codePostal: '79100',
        commune: '79329',
        libelleCommune: 'THOUARS',
        departement: '79',
        region: '75',
        epci: '247900798',
        activitePrincipale: '84.11Z',
        trancheEffectif: '31',
        caractereEmployeur: 'O',
      },
    ],
  },
  // ── State ───────────────────────────────────────────────────────────────────────────────────
  {
    // [AE] The SIRET DataPass and API Particulier use as the staging recipient.
    siren: '130025265',
    nomRaisonSociale: 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE',
    sigle: 'DINUM',
    natureJuridique: '7120',
    etat: 'A',
    dateCreation: '2017-05-24',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'ETI',
    trancheEffectif: '32',
    nombreEtablissements: 1,
    nombreEtablissementsOuverts: 1,
    estAdministration: true,
    establishments: [
      {
        siret: '13002526500013',
        estSiege: true,
        etat: 'A',
        dateCreation: '2017-05-24',
        dateDebutActivite: '2017-05-24',
        numeroVoie: '20',
        typeVoie: 'AVENUE',
        libelleVoie: 'DE SEGUR',
        codePostal: '75007',
        commune: '75107',
        libelleCommune: 'PARIS',
        departement: '75',
        region: '11',
        epci: MGP,
        activitePrincipale: '84.11Z',
        trancheEffectif: '32',
        caractereEmployeur: 'N',
      },
    ],
  },
  {
    // [DP]
    siren: '130004955',
    nomRaisonSociale: 'DIRECTION GENERALE DES FINANCES PUBLIQUES',
    sigle: 'DGFIP',
    natureJuridique: '7120',
    etat: 'A',
    dateCreation: '2008-04-03',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: 'GE', // approx.
    trancheEffectif: '53', // approx.
    estAdministration: true,
    establishments: [
      {
        siret: '13000495500014',
        estSiege: true,
        etat: 'A',
        dateCreation: '2008-04-03',
        dateDebutActivite: '2008-04-03',
        numeroVoie: '139',
        typeVoie: 'RUE',
        libelleVoie: 'DE BERCY',
        codePostal: '75012',
        commune: '75112',
        libelleCommune: 'PARIS',
        departement: '75',
        region: '11',
        epci: MGP,
        activitePrincipale: '84.11Z',
        trancheEffectif: null,
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [DP] A ceased legal unit whose only establishment is closed (2020).
    siren: '130024375',
    nomRaisonSociale:
      "SECRETARIAT D'ETAT AUPRES DU MINISTERE DE L'EDUCATION NATIONALE ET DES SPORTS CHARGE DE L'EDUCATION PRIORITAIRE",
    natureJuridique: '7113',
    etat: 'C',
    dateCreation: '2018-10-17',
    dateFermeture: '2020-07-06',
    activitePrincipale: '84.11Z',
    sectionActivitePrincipale: 'O',
    categorieEntreprise: null,
    trancheEffectif: null,
    estAdministration: false,
    establishments: [
      {
        siret: '13002437500011',
        estSiege: true,
        etat: 'F',
        dateCreation: '2018-10-17',
        dateDebutActivite: '2020-07-06',
        dateFermeture: '2020-07-06',
        numeroVoie: '110',
        typeVoie: 'RUE',
        libelleVoie: 'DE GRENELLE',
        codePostal: '75007',
        commune: '75107',
        libelleCommune: 'PARIS 7',
        departement: '75',
        region: '11',
        epci: MGP,
        activitePrincipale: '84.11Z',
        trancheEffectif: null,
        caractereEmployeur: 'N',
      },
    ],
  },
  // ── Companies (not public bodies) ───────────────────────────────────────────────────────────
  {
    // [PC] SAS, software consultancy.
    siren: '418166096',
    nomRaisonSociale: 'OCTO-TECHNOLOGY',
    natureJuridique: '5710',
    etat: 'A',
    dateCreation: '1998-04-01',
    activitePrincipale: '62.02A',
    sectionActivitePrincipale: 'J',
    categorieEntreprise: 'GE',
    trancheEffectif: '41',
    estAdministration: false,
    establishments: [
      {
        siret: '41816609600069',
        estSiege: true,
        etat: 'A',
        dateCreation: '2016-11-28',
        dateDebutActivite: '2016-11-28',
        numeroVoie: '34',
        typeVoie: 'AVENUE',
        libelleVoie: "DE L'OPERA",
        codePostal: '75002',
        commune: '75102',
        libelleCommune: 'PARIS',
        departement: '75',
        region: '11',
        epci: MGP,
        activitePrincipale: '62.02A',
        trancheEffectif: '41',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [PC] SARL, market gardening.
    siren: '811047257',
    nomRaisonSociale: 'EXPERTISE RURALE',
    natureJuridique: '5499',
    etat: 'A',
    dateCreation: '2015-04-07',
    activitePrincipale: '01.13Z',
    sectionActivitePrincipale: 'A',
    categorieEntreprise: null,
    trancheEffectif: '01',
    estAdministration: false,
    establishments: [
      {
        siret: '81104725700019',
        estSiege: true,
        etat: 'A',
        dateCreation: '2015-04-07',
        dateDebutActivite: '2015-04-07',
        libelleVoie: 'LE HAUT JUMEL',
        codePostal: '62990',
        commune: '62100',
        libelleCommune: 'BEAURAINVILLE',
        departement: '62',
        region: '32',
        epci: null,
        activitePrincipale: '01.13Z',
        trancheEffectif: '01',
        caractereEmployeur: 'O',
      },
    ],
  },
  {
    // [PC] SAS, furniture shop.
    siren: '392346003',
    nomRaisonSociale: 'PAPILLON',
    natureJuridique: '5710',
    etat: 'A',
    dateCreation: '1993-09-10',
    activitePrincipale: '47.59A',
    sectionActivitePrincipale: 'G',
    categorieEntreprise: 'PME',
    trancheEffectif: '11',
    estAdministration: false,
    establishments: [
      {
        siret: '39234600300198',
        estSiege: true,
        etat: 'A',
        dateCreation: '2019-07-01',
        dateDebutActivite: '2019-07-01',
        complementAdresse: '5-7',
        numeroVoie: '5',
        typeVoie: 'RUE',
        libelleVoie: 'DU MOULIN AUX MOINES',
        codePostal: '72650',
        commune: '72065',
        libelleCommune: 'LA CHAPELLE-SAINT-AUBIN',
        departement: '72',
        region: '52',
        epci: null,
        activitePrincipale: '47.59A',
        trancheEffectif: '02',
        caractereEmployeur: 'O',
      },
    ],
  },
];
