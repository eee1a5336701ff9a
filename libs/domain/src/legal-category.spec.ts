import {
  PUBLIC_LEGAL_CATEGORY_LABELS,
  classifyLegalCategory,
  describeLegalCategory,
  legalCategoryLabel,
} from './legal-category.js';

describe('classifyLegalCategory', () => {
  it.each([
    ['7210', 'public_administrative'],
    ['7113', 'public_administrative'],
    ['7490', 'public_administrative'],
    ['4110', 'public_commercial'],
    ['4150', 'public_commercial'],
    ['5710', 'not_public'],
    ['9220', 'not_public'],
    ['1000', 'not_public'],
    ['3210', 'not_public'],
    ['3110', 'not_public'],
  ] as const)('%s → %s', (code, kind) => {
    expect(classifyLegalCategory(code)).toBe(kind);
  });

  it.each(['', '72', '721', '72100', ' 7210', '7210 ', '72.10', 'abcd'])('treats malformed %j as not public', (code) => {
    expect(classifyLegalCategory(code)).toBe('not_public');
  });
});

describe('labels', () => {
  it.each([
    ['7210', 'Commune et commune nouvelle'],
    ['7220', 'Département'],
    ['7230', 'Région'],
    ['7344', 'Métropole'],
    ['7346', 'Communauté de communes'],
    ['7348', 'Communauté d’agglomération'],
    ['7361', 'Centre communal d’action sociale (CCAS)'],
    ['7362', 'Caisse des écoles'],
    ['7331', 'Établissement public local d’enseignement'],
    ['7353', 'Syndicat intercommunal à vocation unique (SIVU)'],
    ['7354', 'Syndicat mixte fermé'],
    ['7355', 'Syndicat mixte ouvert'],
    ['7367', 'Centre intercommunal d’action sociale (CIAS)'],
    ['7372', 'Service départemental d’incendie et de secours (SDIS)'],
    ['7379', '(Autre) Établissement public administratif local'],
    ['7389', 'Établissement public national à caractère administratif'],
    ['7410', 'Groupement d’intérêt public (GIP)'],
    ['7229', '(Autre) Collectivité territoriale'],
    ['4140', 'Établissement public local à caractère industriel ou commercial'],
  ])('%s is « %s »', (code, label) => {
    expect(legalCategoryLabel(code)).toBe(label);
  });

  it('only labels 4xxx and 7xxx codes, all of 4 digits, with no stray spaces', () => {
    for (const [code, label] of Object.entries(PUBLIC_LEGAL_CATEGORY_LABELS)) {
      expect(code).toMatch(/^[47][0-9]{3}$/);
      expect(label).toBe(label.trim());
    }
    expect(legalCategoryLabel('5710')).toBeUndefined();
    expect(legalCategoryLabel('toString')).toBeUndefined();
  });
});

describe('describeLegalCategory', () => {
  it('describes a known public code', () => {
    expect(describeLegalCategory('7346')).toEqual({
      code: '7346',
      kind: 'public_administrative',
      isPublic: true,
      label: 'Communauté de communes',
    });
  });

  it('falls back to the kind label for unknown or private codes', () => {
    expect(describeLegalCategory('7999')).toMatchObject({
      kind: 'public_administrative',
      isPublic: true,
      label: 'Personne morale de droit public soumise au droit administratif',
    });
    expect(describeLegalCategory('5710')).toMatchObject({ kind: 'not_public', isPublic: false });
  });
});
