import { addMonths, daysBetween, endpointUrlProblem, todayInFrance } from './tenant-credentials.service.js';
import { warningsForEntry } from './directory-warnings.js';
import { escapeLike, firstFreeSlug, foldName, slugify, slugProblem } from './slug.js';
import type { DirectoryEntry } from './company-directory.js';

describe('slugs', () => {
  it('derives URL-safe slugs: lower case, accents stripped, words joined by dashes, 63 characters at most', () => {
    expect(slugify('Commune d’Écully-lès-Bois')).toBe('commune-d-ecully-les-bois');
    expect(slugify('  CCAS de L’Haÿ-les-Roses  ')).toBe('ccas-de-l-hay-les-roses');
    expect(slugify('Œuvre sociale & Cœur')).toBe('oeuvre-sociale-coeur');
    expect(slugify('!!!')).toBe('');
    const long = slugify('Syndicat intercommunal à vocation multiple de la vallée de la haute rivière du nord');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toMatch(/-$/);
  });

  it('validates given slugs with French reasons', () => {
    expect(slugProblem('mairie-de-clamart')).toBeNull();
    expect(slugProblem('a')).toMatch(/entre 2 et 63/);
    expect(slugProblem('Mairie')).toMatch(/minuscules/);
    expect(slugProblem('mairie--x')).toMatch(/tirets simples/);
    expect(slugProblem('console')).toMatch(/réservé/);
  });

  it('finds the first free numbered slug, within the length limit', () => {
    expect(firstFreeSlug('mairie', new Set())).toBe('mairie');
    expect(firstFreeSlug('mairie', new Set(['mairie', 'mairie-2']))).toBe('mairie-3');
    expect(firstFreeSlug('api', new Set())).toBe('api-2');
    const base = 'x'.repeat(63);
    expect(firstFreeSlug(base, new Set([base]))).toBe(`${'x'.repeat(61)}-2`);
  });

  it('folds search terms like the database column, and escapes LIKE wildcards', () => {
    expect(foldName('ÉCULLY l’Haÿ')).toBe("ecully l'hay");
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('directory warnings', () => {
  const entry = (overrides: Partial<DirectoryEntry>): DirectoryEntry => ({
    siret: '21920023500014',
    name: 'COMMUNE DE CLAMART',
    address: { postalCode: '92140', city: 'CLAMART', communeCode: '92023' },
    legalCategoryCode: '7210',
    establishmentOpen: true,
    unitActive: true,
    ...overrides,
  });

  it('has none for an open commune', () => {
    expect(warningsForEntry(entry({}))).toEqual([]);
  });

  it('flags private bodies, unknown categories, public commercial bodies, closed establishments and ceased units', () => {
    expect(warningsForEntry(entry({ legalCategoryCode: '5710' })).map((w) => w.code)).toEqual(['NOT_PUBLIC_BODY']);
    expect(warningsForEntry(entry({ legalCategoryCode: null })).map((w) => w.code)).toEqual(['NOT_PUBLIC_BODY']);
    expect(warningsForEntry(entry({ legalCategoryCode: '4110' })).map((w) => w.code)).toEqual(['PUBLIC_COMMERCIAL_BODY']);
    expect(warningsForEntry(entry({ establishmentOpen: false, unitActive: false })).map((w) => w.code)).toEqual(['ESTABLISHMENT_CLOSED', 'LEGAL_UNIT_CEASED']);
    expect(warningsForEntry(entry({ legalCategoryCode: '5710' }))[0]?.message).toContain('catégorie juridique 5710');
  });
});

describe('credential helpers', () => {
  it('adds months clamped to the end of the month', () => {
    expect(addMonths('2025-01-15', 18)).toBe('2026-07-15');
    expect(addMonths('2024-08-31', 18)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-03-02')).toBe(60);
  });

  it('tells the French calendar day', () => {
    expect(todayInFrance(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });

  it('accepts https endpoints and plain http to the loopback only', () => {
    expect(endpointUrlProblem('https://fc.example.test/api/v2')).toBeNull();
    expect(endpointUrlProblem('http://127.0.0.1:4010/api/v2')).toBeNull();
    expect(endpointUrlProblem('http://localhost:4010')).toBeNull();
    expect(endpointUrlProblem('http://10.0.0.1/api')).toMatch(/https/);
    expect(endpointUrlProblem('https://fc.example.test/?debug=1')).toMatch(/paramètres/);
    expect(endpointUrlProblem('ftp://fc.example.test')).toMatch(/https/);
    expect(endpointUrlProblem('not a url')).toBe('URL invalide.');
  });
});
