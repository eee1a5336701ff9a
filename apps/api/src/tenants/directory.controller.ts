import { Controller, Header, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { CompanyDirectorySearch, CompanyDirectorySearchQuery, DirectoryCandidate, DirectoryPreview } from '@fcplat/contract';
import { AppError } from '@fcplat/common';
import { checkSiret, describeLegalCategory } from '@fcplat/domain';
import { STAFF_WRITE } from '../auth/actor.js';
import { Allow } from '../auth/decorators.js';
import { ApiProblems, ContractQuery, Endpoint } from '../http/endpoint.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { COMPANY_DIRECTORY, type CompanyDirectory, type DirectoryEntry } from './company-directory.js';
import { DIRECTORY_NOT_FOUND_WARNING, DIRECTORY_UNAVAILABLE_WARNING, warningsForEntry } from './directory-warnings.js';

export type { DirectoryPreview };

/** Organisations a name search shows at most. */
const SEARCH_RESULTS = 10;

/** What the console shows of a directory entry: name, address, legal category, the warnings creation would record. */
function describedEntry(entry: DirectoryEntry): Omit<DirectoryCandidate, 'existingTenant'> {
  const code = entry.legalCategoryCode;
  return {
    siret: entry.siret,
    name: entry.name,
    address: { ...(entry.address.street ? { street: entry.address.street } : {}), postalCode: entry.address.postalCode, city: entry.address.city },
    legalCategoryCode: code,
    legalCategoryLabel: code ? describeLegalCategory(code).label : null,
    warnings: warningsForEntry(entry),
  };
}

/** What the company directory says of a SIRET, before a client is created from it (the console's « nouveau client »). */
@ApiTags('tenants')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(
    @Inject(COMPANY_DIRECTORY) private readonly directory: CompanyDirectory,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  @Endpoint('companyDirectoryPreview')
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Preview a SIRET: the directory’s name, address and legal category, the warnings creation would record, and the client that already has it',
    description: 'An invalid SIRET gets 400 with the reason in French. The directory being down is not an error: `available: false`.',
  })
  @ApiProblems(400, 401, 403)
  async preview(@Param('siret') raw: string): Promise<DirectoryPreview> {
    const check = checkSiret(raw);
    if (!check.valid) throw new AppError('VALIDATION_FAILED', { detail: check.message, violations: [{ path: 'siret', message: check.message }] });
    const [existing] = (await this.dataSource.query(`SELECT id, name FROM tenant WHERE siret = $1`, [check.siret])) as { id: string; name: string }[];
    const base = { siret: check.siret, existingTenant: existing ?? null };
    try {
      const entry = await this.directory.lookupSiret(check.siret);
      if (!entry) return { ...base, available: true, found: false, name: null, address: null, legalCategoryCode: null, legalCategoryLabel: null, warnings: [DIRECTORY_NOT_FOUND_WARNING] };
      return { ...base, ...describedEntry(entry), available: true, found: true };
    } catch {
      return { ...base, available: false, found: false, name: null, address: null, legalCategoryCode: null, legalCategoryLabel: null, warnings: [DIRECTORY_UNAVAILABLE_WARNING] };
    }
  }

  @Endpoint('companyDirectorySearch')
  @Allow(STAFF_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Search the company directory by name (« mairie de clamart »): the organisations found, each with the establishment to create a client from, its warnings and the client that already has it',
    description: 'Terms of fewer than 3 characters get 400 in French. The directory being down is not an error: `available: false` and no results.',
  })
  @ApiProblems(400, 401, 403)
  async search(@ContractQuery('companyDirectorySearch') query: CompanyDirectorySearchQuery): Promise<CompanyDirectorySearch> {
    let entries: DirectoryEntry[];
    try {
      entries = await this.directory.searchByName(query.q, SEARCH_RESULTS);
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') throw error;
      return { available: false, results: [] };
    }
    const sirets = entries.map((entry) => entry.siret);
    const existing = (await this.dataSource.query(`SELECT id, name, siret FROM tenant WHERE siret = ANY($1::text[])`, [sirets])) as { id: string; name: string; siret: string }[];
    const bySiret = new Map(existing.map((row) => [row.siret, { id: row.id, name: row.name }]));
    return { available: true, results: entries.map((entry) => ({ ...describedEntry(entry), existingTenant: bySiret.get(entry.siret) ?? null })) };
  }
}
