/**
 * Reading an agent's batch file: one dossier per line, the tenant's own reference first, then
 * the pivot identity (or the INE). Every line is checked as the API would check it; bad lines are
 * reported with their number and reason, never sent and never silently dropped.
 */
import { checkIne, checkPivotIdentity, type PivotIdentity } from '@fcplat/api-particulier';
import { API_PARTICULIER_CATALOGUE, type ApiParticulierApi } from '@fcplat/domain';
import { parseCsv } from './csv.js';
import type { CallInput } from './ledger.js';

export const BATCH_MAX_BYTES = 5 * 1024 * 1024;
export const BATCH_MAX_LINES = 20_000;
/** Rejections kept line by line; beyond, only counted. */
export const BATCH_MAX_REPORTED_REJECTIONS = 10_000;

export type BatchModality = 'pivot_identity' | 'ine';

export const BATCH_COLUMNS: Readonly<Record<BatchModality, readonly string[]>> = {
  pivot_identity: [
    'reference',
    'nom_naissance',
    'nom_usage',
    'prenoms',
    'sexe',
    'date_naissance',
    'code_pays_naissance',
    'code_commune_naissance',
    'nom_commune_naissance',
    'code_departement_naissance',
  ],
  ine: ['reference', 'ine'],
};
const REQUIRED_COLUMNS: Readonly<Record<BatchModality, readonly string[]>> = {
  pivot_identity: ['reference', 'nom_naissance', 'prenoms'],
  ine: ['reference', 'ine'],
};

export interface BatchLine {
  readonly line: number;
  readonly reference: string;
  readonly input: CallInput;
}

export interface BatchRejection {
  readonly line: number;
  readonly reference: string | null;
  readonly reasons: readonly string[];
}

export interface ParsedBatch {
  readonly accepted: BatchLine[];
  readonly rejected: BatchRejection[];
  readonly rejectedCount: number;
  readonly totalLines: number;
}

/** A problem with the file as a whole (no line can be read): the upload is refused. */
export class BatchFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchFileError';
  }
}

const fold = (value: string): string =>
  value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const REFERENCE = /^[\p{L}\p{N}][\p{L}\p{N} ._/#-]{0,99}$/u;

export function parseBatchFile(bytes: Buffer, api: ApiParticulierApi, modality: BatchModality, today: Date = new Date()): ParsedBatch {
  if (!API_PARTICULIER_CATALOGUE[api].modalities.includes(modality)) {
    throw new BatchFileError(`L’API « ${API_PARTICULIER_CATALOGUE[api].label} » ne s’interroge pas par ${modality === 'ine' ? 'INE' : 'identité pivot'}.`);
  }
  if (bytes.length === 0) throw new BatchFileError('Le fichier est vide.');
  if (bytes.length > BATCH_MAX_BYTES) throw new BatchFileError(`Le fichier dépasse ${BATCH_MAX_BYTES / 1024 / 1024} Mo.`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const { records } = parseCsv(text);
  const header = records[0];
  if (!header) throw new BatchFileError('Le fichier est vide.');
  const columns = header.fields.map(fold);
  const missing = REQUIRED_COLUMNS[modality].filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new BatchFileError(
      `Colonnes obligatoires absentes de la première ligne : ${missing.join(', ')}. Colonnes attendues : ${BATCH_COLUMNS[modality].join(' ; ')}.`,
    );
  }
  const dataRecords = records.slice(1);
  if (dataRecords.length > BATCH_MAX_LINES) throw new BatchFileError(`Le fichier compte plus de ${BATCH_MAX_LINES} lignes : découpez-le.`);
  const index = (name: string): number => columns.indexOf(name);
  const accepted: BatchLine[] = [];
  const rejected: BatchRejection[] = [];
  let rejectedCount = 0;
  const seen = new Set<string>();
  const reject = (rejection: BatchRejection): void => {
    rejectedCount += 1;
    if (rejected.length < BATCH_MAX_REPORTED_REJECTIONS) rejected.push(rejection);
  };

  for (const record of dataRecords) {
    const get = (name: string): string => {
      const at = index(name);
      return at === -1 ? '' : (record.fields[at] ?? '').trim();
    };
    const rawReference = get('reference');
    const reference = REFERENCE.test(rawReference) ? rawReference : null;
    const reasons: string[] = [];
    if (record.problem) reasons.push(`Ligne illisible : ${record.problem}.`);
    if (record.fields.length !== columns.length) reasons.push(`La ligne compte ${record.fields.length} colonne(s) au lieu de ${columns.length}.`);
    if (!rawReference) reasons.push('La référence du dossier est obligatoire.');
    else if (!reference) reasons.push('La référence du dossier doit compter 1 à 100 lettres, chiffres, espaces ou . _ / # -.');
    else if (seen.has(reference)) reasons.push(`La référence « ${reference} » figure déjà plus haut dans le fichier.`);
    if (reasons.length > 0) {
      reject({ line: record.line, reference, reasons });
      continue;
    }
    let input: CallInput;
    if (modality === 'ine') {
      const ine = get('ine').toUpperCase();
      const problems = checkIne(ine);
      if (problems.length > 0) {
        reject({ line: record.line, reference, reasons: problems.map((p) => p.message) });
        continue;
      }
      input = { modality: 'ine', ine };
    } else {
      const lineReasons: string[] = [];
      const unreadable = new Set<string>();
      const identity = readIdentity(get, lineReasons, unreadable);
      // A value we could not read is reported once, not again as "missing".
      if (identity) lineReasons.push(...checkPivotIdentity(api, identity, today).filter((p) => !unreadable.has(p.field)).map((p) => p.message));
      if (!identity || lineReasons.length > 0) {
        reject({ line: record.line, reference, reasons: [...new Set(lineReasons)] });
        continue;
      }
      input = { modality: 'pivot_identity', identity };
    }
    seen.add(reference as string);
    accepted.push({ line: record.line, reference: reference as string, input });
  }
  return { accepted, rejected, rejectedCount, totalLines: dataRecords.length };
}

const DATE_FULL_FR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_MONTH = /^(\d{1,2})\/(\d{4})$/;
const DATE_YEAR = /^(\d{4})$/;

function readIdentity(get: (name: string) => string, reasons: string[], unreadable: Set<string>): PivotIdentity | null {
  const sexRaw = get('sexe').toUpperCase();
  let sexe: 'M' | 'F' | undefined;
  if (sexRaw === 'M' || sexRaw === 'F') sexe = sexRaw;
  else if (sexRaw !== '') {
    reasons.push(`Sexe « ${sexRaw.slice(0, 20)} » invalide : indiquez M ou F.`);
    unreadable.add('sexeEtatCivil');
  }
  const date = get('date_naissance');
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let match: RegExpExecArray | null;
  if (date === '') {
    // Some APIs accept a missing date; the API-specific check says so otherwise.
  } else if ((match = DATE_FULL_FR.exec(date))) {
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = DATE_ISO.exec(date))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = DATE_MONTH.exec(date))) {
    [month, year] = [Number(match[1]), Number(match[2])];
  } else if ((match = DATE_YEAR.exec(date))) {
    year = Number(match[1]);
  } else {
    reasons.push('Date de naissance illisible : attendu JJ/MM/AAAA (ou MM/AAAA, AAAA).');
    for (const field of ['anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance']) unreadable.add(field);
  }
  const prenoms = get('prenoms').split(/\s+/).filter((p) => p !== '');
  const optional = (name: string): string | undefined => {
    const value = get(name);
    return value === '' ? undefined : value;
  };
  return {
    nomNaissance: get('nom_naissance'),
    nomUsage: optional('nom_usage'),
    prenoms,
    anneeDateNaissance: year,
    moisDateNaissance: month,
    jourDateNaissance: day,
    sexeEtatCivil: sexe,
    codeCogInseePaysNaissance: optional('code_pays_naissance'),
    codeCogInseeCommuneNaissance: optional('code_commune_naissance')?.toUpperCase(),
    nomCommuneNaissance: optional('nom_commune_naissance'),
    codeCogInseeDepartementNaissance: optional('code_departement_naissance')?.toUpperCase(),
  };
}
