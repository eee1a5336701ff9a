import { randomBytes } from 'node:crypto';
import { parseBatchFile, BatchFileError, BATCH_MAX_REPORTED_REJECTIONS } from './batch-file.js';
import { csvCell, parseCsv } from './csv.js';

const HEADER = 'reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance';
const TODAY = new Date('2026-11-24T12:00:00Z');

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM, and numbers records by their first line', () => {
    const { separator, records } = parseCsv('\uFEFFa;b\r\n"x;1";"say ""hi"""\r\n"multi\nline";2\n\n3;4');
    expect(separator).toBe(';');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['x;1', 'say "hi"']],
      [3, ['multi\nline', '2']],
      [6, ['3', '4']],
    ]);
  });

  it('detects the comma separator and reports malformed records instead of throwing', () => {
    const { separator, records } = parseCsv('a,b\n"open,1\n');
    expect(separator).toBe(',');
    expect(records[1]?.problem).toBe('guillemet non fermé');
  });

  it('lets an unclosed quote cost its own line only, not the lines after it', () => {
    // No closing quote anywhere after it, or none within the field length limit.
    for (const after of ['', `${'z'.repeat(600)}"`]) {
      const { records } = parseCsv(`a;b\nx;"open\nok;2\nfine;${after}\n`);
      expect(records.map((r) => [r.line, r.fields[0], r.problem ?? null]).slice(0, 4)).toEqual([
        [1, 'a', null],
        [2, 'x', 'guillemet non fermé'],
        [3, 'ok', null],
        [4, 'fine', after ? expect.stringMatching(/champ trop long/) : null],
      ]);
    }
  });

  it('defuses spreadsheet formulas and quotes separators in produced cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(2550)).toBe('2550');
  });
});

describe('parseBatchFile', () => {
  const file = (lines: string[]): Buffer => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8');

  it('accepts good lines and reports each bad line with its number and reasons', () => {
    const parsed = parseBatchFile(
      file([
        'D1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;',
        'D2;DUPONT;;Paul Louis;M;;99100;75107;;', // QF accepts a missing birth date
        'D3;MARTIN;;Pierre;X;01/01/1980;99100;75107;;', // bad sex
        'D4;;;Jean;M;01/01/1980;99100;75107;;', // no birth name
        'D5;DURAND;;Anne;F;31/02/1980;99100;75107;;', // impossible date
        'D1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;', // duplicate reference
        ';DUPONT;;Paul;M;01/01/1980;99100;75107;;', // no reference
        'D8;BERNARD;;Luc;M;1980-05-04;99100;;Lyon;69', // name of commune + department
      ]),
      'quotient_familial',
      'pivot_identity',
      TODAY,
    );
    expect(parsed.totalLines).toBe(8);
    expect(parsed.accepted.map((l) => [l.line, l.reference])).toEqual([
      [2, 'D1'],
      [3, 'D2'],
      [9, 'D8'],
    ]);
    expect(parsed.accepted[1]?.input).toEqual({
      modality: 'pivot_identity',
      identity: expect.objectContaining({ nomNaissance: 'DUPONT', prenoms: ['Paul', 'Louis'], sexeEtatCivil: 'M', codeCogInseeCommuneNaissance: '75107' }),
    });
    const byLine = new Map(parsed.rejected.map((r) => [r.line, r.reasons.join(' ')]));
    expect(byLine.get(4)).toMatch(/Sexe « X » invalide/);
    expect(byLine.get(5)).toMatch(/nom de naissance est obligatoire/);
    expect(byLine.get(6)).toMatch(/jour de naissance est invalide/);
    expect(byLine.get(7)).toMatch(/figure déjà plus haut/);
    expect(byLine.get(8)).toMatch(/référence du dossier est obligatoire/);
    expect(parsed.rejectedCount).toBe(5);
  });

  it('requires the full birth date for the student status, as its route does', () => {
    const parsed = parseBatchFile(file(['E1;MARTIN;;Jean;M;;99100;75107;;', 'E2;MARTIN;;Jean;M;01/2001;;;;']), 'statut_etudiant', 'pivot_identity', TODAY);
    expect(parsed.accepted).toHaveLength(0);
    expect(parsed.rejected.map((r) => r.reasons.join(' '))).toEqual([expect.stringMatching(/date de naissance complète/), expect.stringMatching(/date de naissance complète/)]);
  });

  it('reads INE files and checks the INE format', () => {
    const parsed = parseBatchFile(Buffer.from('reference,ine\nI1,1234567890A\nI2,12345\nI3,123456789ab\n'), 'statut_etudiant_boursier', 'ine', TODAY);
    expect(parsed.accepted.map((l) => l.input)).toEqual([
      { modality: 'ine', ine: '1234567890A' },
      { modality: 'ine', ine: '123456789AB' },
    ]);
    expect(parsed.rejected[0]).toEqual({ line: 3, reference: 'I2', reasons: [expect.stringMatching(/11 caractères/)] });
  });

  it('survives 2 MB of garbage: every garbage line is reported, the good lines still go through, the report is bounded', () => {
    const garbage = randomBytes(2 * 1024 * 1024).toString('latin1');
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\nG1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;\n`), Buffer.from(garbage, 'latin1'), Buffer.from('\nG2;DUPONT;;Paul;M;;99100;75107;;\n')]);
    const parsed = parseBatchFile(bytes, 'quotient_familial', 'pivot_identity', TODAY);
    expect(parsed.accepted.map((l) => l.reference)).toEqual(['G1', 'G2']);
    expect(parsed.rejectedCount).toBeGreaterThan(1000);
    expect(parsed.rejected.length).toBe(Math.min(parsed.rejectedCount, BATCH_MAX_REPORTED_REJECTIONS));
    expect(parsed.rejectedCount + parsed.accepted.length).toBe(parsed.totalLines);
  });

  it('refuses a file without its required columns, an empty file, or an API/modality pair that does not exist', () => {
    expect(() => parseBatchFile(Buffer.from('foo;bar\n1;2'), 'quotient_familial', 'pivot_identity')).toThrow(BatchFileError);
    expect(() => parseBatchFile(Buffer.alloc(0), 'quotient_familial', 'pivot_identity')).toThrow(/vide/);
    expect(() => parseBatchFile(Buffer.from('reference;ine\nA;1234567890A'), 'quotient_familial', 'ine')).toThrow(/ne s’interroge pas par INE/);
  });
});
