/**
 * The search typed into the console's tenant lists (the tenant list and the onboarding pipeline),
 * as one SQL condition on the tenant table: a part of the folded name anywhere in it (served by the
 * trigram index `tenant_name_key_trgm_idx`), or the start of the SIRET when the term is digits
 * (served by `tenant_siret_prefix_idx`).
 */
import { escapeLike, foldName } from './slug.js';

/**
 * Trigrams need three characters: a shorter term matches the start of a word of the name instead
 * (`'ab%'` or `'% ab%'`, whose word-start trigrams the index still serves), never a scan of every name.
 */
const TRIGRAM_LENGTH = 3;

/**
 * The condition matching `search` on the tenant aliased `alias`; `param` adds a parameter to the
 * statement and returns its placeholder (`$3`, `:p3`…).
 */
export function tenantSearchCondition(search: string, param: (value: string) => string, alias = 't'): string {
  const folded = escapeLike(foldName(search));
  const name =
    foldName(search).length >= TRIGRAM_LENGTH
      ? `${alias}.name_key LIKE ${param(`%${folded}%`)}`
      : `(${alias}.name_key LIKE ${param(`${folded}%`)} OR ${alias}.name_key LIKE ${param(`% ${folded}%`)})`;
  const digits = search.replace(/\s+/g, '');
  return /^[0-9]{1,14}$/.test(digits) ? `(${alias}.siret LIKE ${param(`${digits}%`)} OR ${name})` : name;
}
