/**
 * Loads the staging case files (`data/api-particulier/<folder>/*.y{a,}ml`: `{ params, status,
 * payload }`) once, at start. The data ships with the code, so anything malformed throws: better
 * no sandbox than one answering garbage. Payloads are re-serialised compactly once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { normaliseCriterion, type CriterionValue, type Matchable } from './matching.js';

/**
 * `apps/sandbox/data/api-particulier/`, from `src/services/api-particulier/` under Jest and from
 * `dist/services/api-particulier/` once compiled (same depth).
 */
export const DATA_DIR = new URL('../../../data/api-particulier/', import.meta.url);

export interface CaseFile extends Matchable {
  /** File name, e.g. `200-seul-sans_enfant-qf_caf_2550.yaml`. */
  readonly name: string;
  readonly status: number;
  /** The payload, as compact JSON. */
  readonly body: string;
  /** `errors[0].code` of an error payload, else null. */
  readonly errorCode: string | null;
}

export interface CaseFolder {
  readonly name: string;
  /** Every case file, `404.yaml` included, in file name order. */
  readonly cases: readonly CaseFile[];
  /** `404.yaml`: the answer when no case matches. */
  readonly notFound: CaseFile;
}

/**
 * Misspelt keys of the upstream files, read as what they mean so their cases stay reachable:
 * `prenom` (fake_france_connect_cnous_2.yml) and `anneeNateNaissance`
 * (beneficiaire_sans_participation_financiere_homme_200.yml).
 */
const KEY_ALIASES: Readonly<Record<string, string>> = { prenom: 'prenoms', anneeNateNaissance: 'anneeDateNaissance' };

const CASE_FILE = /\.ya?ml$/;
const NOT_FOUND_FILE = '404.yaml';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface RawCase {
  readonly params: Record<string, unknown>;
  readonly status: number;
  readonly payload: unknown;
}

function readCase(path: URL, where: string): RawCase {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`API Particulier sandbox: ${where} is not valid YAML`, { cause: error });
  }
  if (!isRecord(document)) throw new Error(`API Particulier sandbox: ${where} is not a YAML mapping`);
  const { params = {}, status, payload } = document;
  if (!isRecord(params)) throw new Error(`API Particulier sandbox: ${where}: params must be a mapping`);
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new Error(`API Particulier sandbox: ${where}: status must be an HTTP status`);
  }
  if (typeof payload !== 'string') throw new Error(`API Particulier sandbox: ${where}: payload must be a JSON string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch (error) {
    throw new Error(`API Particulier sandbox: ${where}: payload is not valid JSON`, { cause: error });
  }
  return { params, status, payload: parsed };
}

function errorCodeOf(payload: unknown): string | null {
  if (!isRecord(payload) || !Array.isArray(payload.errors)) return null;
  const first: unknown = payload.errors[0];
  return isRecord(first) && typeof first.code === 'string' ? first.code : null;
}

function toCaseFile(name: string, raw: RawCase, where: string): CaseFile {
  const criteria = new Map<string, CriterionValue>();
  for (const [rawKey, value] of Object.entries(raw.params)) {
    const key = KEY_ALIASES[rawKey] ?? rawKey;
    const criterion = normaliseCriterion(key, value);
    if (criterion === undefined) throw new Error(`API Particulier sandbox: ${where}: unusable value for params.${rawKey}`);
    criteria.set(key, criterion);
  }
  return { name, criteria, status: raw.status, body: JSON.stringify(raw.payload), errorCode: raw.status >= 400 ? errorCodeOf(raw.payload) : null };
}

function caseFileNames(folder: URL): string[] {
  return readdirSync(folder)
    .filter((name) => CASE_FILE.test(name))
    .sort();
}

export function loadCaseFolder(name: string, dataDir: URL = DATA_DIR): CaseFolder {
  const folder = new URL(`${name}/`, dataDir);
  const cases = caseFileNames(folder).map((file) => toCaseFile(file, readCase(new URL(file, folder), `${name}/${file}`), `${name}/${file}`));
  const notFound = cases.find((candidate) => candidate.name === NOT_FOUND_FILE);
  if (!notFound || notFound.status !== 404) throw new Error(`API Particulier sandbox: ${name}/${NOT_FOUND_FILE} is missing or is not a 404`);
  return { name, cases, notFound };
}

export function loadCaseFolders(names: readonly string[], dataDir: URL = DATA_DIR): ReadonlyMap<string, CaseFolder> {
  return new Map(names.map((name) => [name, loadCaseFolder(name, dataDir)]));
}

/**
 * Staging's fake FranceConnect tokens (`france_connect/*.yml`): the token (`params.token`) and
 * the `token_introspection` of the checktoken answer it stands for.
 */
export function loadStagingFranceConnectTokens(name: string, dataDir: URL = DATA_DIR): ReadonlyMap<string, Readonly<Record<string, unknown>>> {
  const folder = new URL(`${name}/`, dataDir);
  const tokens = new Map<string, Readonly<Record<string, unknown>>>();
  for (const file of caseFileNames(folder)) {
    const where = `${name}/${file}`;
    const raw = readCase(new URL(file, folder), where);
    const token = raw.params.token;
    const introspection = isRecord(raw.payload) ? raw.payload.token_introspection : undefined;
    if (typeof token !== 'string' || token === '' || !isRecord(introspection)) {
      throw new Error(`API Particulier sandbox: ${where} must give params.token and a payload with token_introspection`);
    }
    if (tokens.has(token)) throw new Error(`API Particulier sandbox: ${where}: token ${token} is defined twice`);
    tokens.set(token, introspection);
  }
  return tokens;
}
