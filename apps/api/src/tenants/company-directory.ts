import type { BucketSpec, PgRateLimiter } from '@fcplat/api-particulier-calls';
import type { CompanyDirectoryClient, CompanyLookup, SharedLimit } from '@fcplat/company-directory';

/** DI token of the {@link CompanyDirectory} used to fill a tenant from its SIRET. */
export const COMPANY_DIRECTORY = Symbol('COMPANY_DIRECTORY');

/** What tenant creation needs to know about a SIRET, whatever directory answers. */
export interface DirectoryEntry {
  readonly siret: string;
  /** Raison sociale, e.g. `COMMUNE DE CLAMART`. */
  readonly name: string;
  readonly address: {
    readonly street?: string;
    readonly postalCode: string | null;
    readonly city: string | null;
    readonly communeCode: string | null;
  };
  /** INSEE legal category (`nature_juridique`, 4 digits), `null` when the directory gave none. */
  readonly legalCategoryCode: string | null;
  /** `false` when the establishment is closed (or its state is unknown). */
  readonly establishmentOpen: boolean;
  /** `false` when the legal unit has ceased (or its state is unknown). */
  readonly unitActive: boolean;
}

/**
 * The company directory as tenant creation sees it. `lookupSiret` resolves `null` when the
 * directory does not know the SIRET (non-diffusible units are absent: absence is not
 * non-existence) and rejects when the directory cannot answer (down, too slow, rate-limited).
 */
export interface CompanyDirectory {
  lookupSiret(siret: string): Promise<DirectoryEntry | null>;
  /** Establishments whose organisation matches the words (best first, at most `limit`); rejects like `lookupSiret`. */
  searchByName(terms: string, limit: number): Promise<DirectoryEntry[]>;
}

/**
 * The directory's ceiling (7 requests per second per IP) as every API replica counts it: the
 * platform's egress IP is one, whatever the number of replicas. A departure log in PostgreSQL,
 * the same as API Particulier's calls (`PgRateLimiter`, key `company-directory:ip`), and its pause
 * on a 429 is seen by every replica. Counted over 1.1 s rather than the upstream's second (plus
 * the limiter's own margin), like the per-process limiter: staff lookups need no throughput, and
 * arrivals bunched by a busy network or upstream must not cross the line.
 */
export const DIRECTORY_BUCKET: BucketSpec = { key: 'company-directory:ip', limit: 7, windowMs: 1_100, burst: 1 };

export function sharedDirectoryLimit(limiter: PgRateLimiter, spec: BucketSpec = DIRECTORY_BUCKET): SharedLimit {
  return {
    async tryDepart() {
      // A count the reply made stale is moved to now (see departFresh), for at most a second.
      const departure = await limiter.departFresh([spec], Date.now() + 1_000);
      return departure.left ? { left: true } : { left: false, retryInMs: departure.retryInMs };
    },
    pause: (ms) => limiter.pause(spec.key, ms, '429 annuaire des entreprises'),
  };
}

/** Upper bound of one lookup, retries included, so that creating a tenant never hangs. */
export const DIRECTORY_LOOKUP_BUDGET_MS = 6_000;

/** Adapter over `@fcplat/company-directory` (recherche-entreprises API: rate limit, retries, timeouts). */
export class RechercheEntreprisesDirectory implements CompanyDirectory {
  constructor(private readonly client: CompanyDirectoryClient) {}

  async lookupSiret(siret: string): Promise<DirectoryEntry | null> {
    const found = await this.client.lookupSiret(siret, { signal: AbortSignal.timeout(DIRECTORY_LOOKUP_BUDGET_MS) });
    return found ? entryOf(found) : null;
  }

  async searchByName(terms: string, limit: number): Promise<DirectoryEntry[]> {
    const found = await this.client.searchByName(terms, { limit, signal: AbortSignal.timeout(DIRECTORY_LOOKUP_BUDGET_MS) });
    return found.map(entryOf);
  }
}

function entryOf(found: CompanyLookup): DirectoryEntry {
  return {
    siret: found.siret,
    name: found.name,
    address: {
      ...(found.address.street ? { street: found.address.street } : {}),
      postalCode: found.address.postalCode,
      city: found.address.city,
      communeCode: found.address.communeCode,
    },
    legalCategoryCode: found.legalCategory.code,
    establishmentOpen: found.establishmentOpen,
    unitActive: found.unitActive,
  };
}
