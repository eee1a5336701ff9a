/**
 * The search typed into the console's tenant lists (the tenant list and the onboarding pipeline),
 * as one SQL condition on the tenant table, forgiving case, accents and typos (issue 16):
 *
 * - each word of the term (folded like `tenant.name_key`: lower case, no accents, by `unaccent`)
 *   must be found in the name, either as it is, anywhere (`LIKE '%word%'`), or nearly, as a word
 *   of the name whose trigrams it mostly shares (`word <% name_key`, pg_trgm's word similarity at
 *   least `WORD_SIMILARITY_THRESHOLD`): « Clamrt » finds « Clamart », « ccas bezier » finds
 *   « CCAS de Béziers »; both are served by the trigram index `tenant_name_key_trgm_idx`;
 * - numbers match as typed (« 12 » is not a typo of « 120 »), and words of one or two characters
 *   match the start of a word of the name (`'ab%'` or `'% ab%'`, whose word-start trigrams the
 *   index still serves), never a scan of every name;
 * - or the start of the SIRET when the term is digits (`tenant_siret_prefix_idx`), or the start of
 *   the slug when the term could be one (`tenant_slug_prefix_idx`).
 *
 * `tenantSearchRank` orders the matches: exact name, SIRET or slug first, then names starting with
 * the term, then names containing it, then the others by word similarity.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { escapeLike, foldName } from './slug.js';

/** Trigrams need three characters: shorter words match the start of a word of the name. */
const TRIGRAM_LENGTH = 3;

/** At most this many words of a term are matched (more would only slow the statement down). */
const MAX_WORDS = 8;

/**
 * pg_trgm's `strict_word_similarity` a word of the term needs with whole words of the name to match
 * them (`<<%`). The strict measure counts the trigrams of both sides, so a name that only shares the
 * start of a word stays out: « clamrt » is 0.5 from « Clamart » but 0.36 from « Clamecy » (the loose
 * `word_similarity` gives both 0.57). Its default (0.5) misses one wrong letter in a seven-letter
 * word (« clamort »: 0.45); 0.45 keeps one wrong or missing letter in words of six letters or more,
 * and refuses « clamart » for « Clamecy » (0.33).
 */
export const WORD_SIMILARITY_THRESHOLD = 0.45;

/** Whether a word of the term may match with a typo: three characters or more, one of them a letter (numbers match as typed). */
const forgivable = (word: string): boolean => word.length >= TRIGRAM_LENGTH && /\p{L}/u.test(word);

/** The words of a search term, folded like the name key. */
export function searchWords(search: string): string[] {
  return foldName(search).split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
}

/** Whether asking again forgiving typos may find more: one word of the term at least may match with a typo. */
export function mayForgive(search: string): boolean {
  return searchWords(search).some(forgivable);
}

const digitsOf = (search: string): string | null => {
  const digits = search.replace(/\s+/g, '');
  return /^[0-9]{1,14}$/.test(digits) ? digits : null;
};

const slugOf = (search: string): string | null => {
  const slug = foldName(search).trim();
  return /^[a-z0-9]+(-[a-z0-9]+)*-?$/.test(slug) ? slug : null;
};

/**
 * The condition matching `search` on the tenant aliased `alias`; `param` adds a parameter to the
 * statement and returns its placeholder (`$3`, `:p3`…). A `forgiving` condition runs through
 * `withForgivingSearch`, so that its similarity threshold applies.
 */
export function tenantSearchCondition(search: string, param: (value: string) => string, alias = 't', forgiving = false): string {
  const key = `${alias}.name_key`;
  const words = searchWords(search);
  const perWord = words.map((word) => {
    const like = escapeLike(word);
    if (forgiving && forgivable(word)) return `(${key} LIKE ${param(`%${like}%`)} OR ${param(word)} <<% ${key})`;
    return word.length >= TRIGRAM_LENGTH
      ? `${key} LIKE ${param(`%${like}%`)}`
      : `(${key} LIKE ${param(`${like}%`)} OR ${key} LIKE ${param(`% ${like}%`)})`;
  });
  const alternatives = [perWord.length > 0 ? `(${perWord.join(' AND ')})` : 'false'];
  const digits = digitsOf(search);
  if (digits) alternatives.push(`${alias}.siret LIKE ${param(`${digits}%`)}`);
  const slug = slugOf(search);
  if (slug && slug.length >= TRIGRAM_LENGTH) alternatives.push(`${alias}.slug LIKE ${param(`${escapeLike(slug)}%`)}`);
  return alternatives.length === 1 ? (alternatives[0] as string) : `(${alternatives.join(' OR ')})`;
}

/**
 * An ascending sort key of the matches of `search`: 0 for the exact name, SIRET or slug, 1 for a
 * name starting with the term, 2 for a name containing it, then 3 minus the strict word similarity of the
 * term in the name (3 to 2, most similar first).
 */
export function tenantSearchRank(search: string, param: (value: string) => string, alias = 't'): string {
  const key = `${alias}.name_key`;
  const folded = searchWords(search).join(' ');
  const exact = [`${key} = ${param(folded)}`];
  const digits = digitsOf(search);
  if (digits) exact.push(`${alias}.siret = ${param(digits)}`);
  const slug = slugOf(search);
  if (slug) exact.push(`${alias}.slug = ${param(slug)}`);
  const like = escapeLike(folded);
  return `(CASE WHEN ${exact.join(' OR ')} THEN 0
                WHEN ${key} LIKE ${param(`${like}%`)} THEN 1
                WHEN ${key} LIKE ${param(`%${like}%`)} THEN 2
                ELSE 3 - strict_word_similarity(${param(folded)}, ${key}) END)`;
}

/**
 * Runs `work` (the statements of a `forgiving` search) in a read-only transaction that sets the
 * similarity threshold locally (`SET LOCAL`: it ends with the transaction, and never leaks into
 * another request on a pooled or, in the embedded database, shared session).
 */
export async function withForgivingSearch<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL pg_trgm.strict_word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
    return work(manager);
  });
}
