import { Controller, Header, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { DirectoryPreview } from '@fcplat/contract';
import { AppError } from '@fcplat/common';
import { checkSiret, describeLegalCategory } from '@fcplat/domain';
import { STAFF_WRITE } from '../auth/actor.js';
import { Allow } from '../auth/decorators.js';
import { ApiProblems, Endpoint } from '../http/endpoint.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { COMPANY_DIRECTORY, type CompanyDirectory } from './company-directory.js';
import { DIRECTORY_NOT_FOUND_WARNING, DIRECTORY_UNAVAILABLE_WARNING, warningsForEntry } from './directory-warnings.js';

export type { DirectoryPreview };

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
      const code = entry.legalCategoryCode;
      return {
        ...base,
        available: true,
        found: true,
        name: entry.name,
        address: { ...(entry.address.street ? { street: entry.address.street } : {}), postalCode: entry.address.postalCode, city: entry.address.city },
        legalCategoryCode: code,
        legalCategoryLabel: code ? describeLegalCategory(code).label : null,
        warnings: warningsForEntry(entry),
      };
    } catch {
      return { ...base, available: false, found: false, name: null, address: null, legalCategoryCode: null, legalCategoryLabel: null, warnings: [DIRECTORY_UNAVAILABLE_WARNING] };
    }
  }
}
