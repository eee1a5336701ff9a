import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@fcplat/common';
import { requestRobotRunAfterChange } from '@fcplat/qualification-runs';
import { appendAudit, TenantEntity, type DirectoryWarning, type TenantBranding, type TenantNameSource } from '@fcplat/db';
import { describeLegalCategory, formatSiret } from '@fcplat/domain';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { assertTenantAccess, tenantFilterOf } from '../auth/tenant-scope.js';
import { selectOne, selectRows } from '../database/raw-sql.js';
import { windowedCountSql, windowedTotal } from '../database/windowed-list.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { COMPANY_DIRECTORY, type CompanyDirectory, type DirectoryEntry } from './company-directory.js';
import { DIRECTORY_NOT_FOUND_WARNING, DIRECTORY_UNAVAILABLE_WARNING, warningsForEntry } from './directory-warnings.js';
import { escapeLike, firstFreeSlug, slugify, SLUG_MIN_LENGTH } from './slug.js';
import { mayForgive, searchWords, tenantSearchCondition, tenantSearchRank, withForgivingSearch } from './tenant-search.js';
import { TENANT_NOT_FOUND, uniqueViolation } from './tenant-params.js';
import type { CreateTenantInput, ListTenantsQuery, PatchTenantInput, TenantView, WindowedPage } from '@fcplat/contract';

/** What a client administrator may change of their tenant (the other fields of a PATCH get 403). */
export const CLIENT_ADMIN_PATCHABLE: ReadonlySet<keyof PatchTenantInput> = new Set([
  'version',
  'technicalContact',
  'administrativeContact',
  'branding',
  'dataRetrievalEnabled',
  'dataRetrievalAtLogin',
]);

export type { TenantView };

export function tenantView(t: TenantEntity): TenantView {
  const code = t.legalCategoryCode;
  return {
    id: t.id,
    siret: t.siret,
    slug: t.slug,
    name: t.name,
    nameSource: t.nameSource,
    status: t.status,
    address: t.address,
    legalCategory: code ? { code, label: t.legalCategoryLabel ?? describeLegalCategory(code).label, kind: describeLegalCategory(code).kind } : null,
    directoryWarnings: t.directoryWarnings ?? [],
    directoryCheckedAt: t.directoryCheckedAt ? t.directoryCheckedAt.toISOString() : null,
    technicalContact: t.technicalContact,
    administrativeContact: t.administrativeContact,
    connexionEnabled: t.connexionEnabled,
    dataRetrievalEnabled: t.dataRetrievalEnabled,
    dataRetrievalAtLogin: t.dataRetrievalAtLogin,
    branding: t.branding ?? {},
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    version: t.version,
  };
}

/** What the directory said (or could not say) about a SIRET, ready to be stored on a tenant. */
interface DirectoryFacts {
  readonly entry: DirectoryEntry | null;
  readonly available: boolean;
  readonly warnings: DirectoryWarning[];
}

const SORT_COLUMNS = { name: 't.name_key', createdAt: 't.created_at', siret: 't.siret' } as const;
const SLUG_ATTEMPTS = 4;

/** Tenants: creation from a SIRET (filled from the company directory), lists, reads, updates. */

/** Tenant fields whose change can break a FranceConnect prerequisite on the portal. */
const ROBOT_AFFECTING_FIELDS = ['name', 'branding', 'connexionEnabled', 'dataRetrievalEnabled', 'dataRetrievalAtLogin', 'status'] as const;
const ROBOT_AFFECTING_FIELD_LABELS: Readonly<Record<(typeof ROBOT_AFFECTING_FIELDS)[number], string>> = {
  name: 'nom',
  branding: 'personnalisation du portail',
  connexionEnabled: 'connexion avec FranceConnect',
  dataRetrievalEnabled: 'récupération des données',
  dataRetrievalAtLogin: 'récupération à la connexion',
  status: 'statut',
};
@Injectable()
export class TenantsService {
  private columnsSql: string | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(COMPANY_DIRECTORY) private readonly directory: CompanyDirectory,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('TenantsService');
  }

  /** The tenant `id` if the actor may see it; 404 otherwise (also for another tenant's admin, SR-20). */
  async requireTenant(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager): Promise<TenantEntity> {
    assertTenantAccess(actor, id, TENANT_NOT_FOUND);
    const tenant = await manager.getRepository(TenantEntity).findOne({ where: { id } });
    if (!tenant) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
    return tenant;
  }

  async get(actor: Actor, id: string): Promise<TenantView> {
    return tenantView(await this.requireTenant(actor, id));
  }

  async getBySlug(actor: Actor, slug: string): Promise<TenantView> {
    const tenant = slug.length <= 63 ? await this.dataSource.getRepository(TenantEntity).findOne({ where: { slug } }) : null;
    if (!tenant) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
    assertTenantAccess(actor, tenant.id, TENANT_NOT_FOUND);
    return tenantView(tenant);
  }

  /**
   * One page of tenants and their number, counted up to `LIST_WINDOW`: two parameterised
   * statements whatever the number of tenants (two more, in a transaction, when a search finds
   * nothing as typed and is tried again forgiving typos). The page picks its ids first (on the name sort, an
   * index-only walk of `(name_key, id)` that tests the search on the index entries) and reads the
   * rows of those ids only; the count stops after `LIST_WINDOW + 1` rows.
   */
  async list(actor: Actor, query: ListTenantsQuery): Promise<WindowedPage<TenantView>> {
    // The words as typed first; only when nothing matches, the same words forgiving a typo (tenant-search.ts).
    const exact = this.listSql(actor, query, false);
    const manager = this.dataSource.manager;
    let [rows, counted] = await Promise.all([selectRows<TenantEntity>(manager, exact.page, exact.params), selectOne<{ n: number }>(manager, exact.count, exact.countParams)]);
    if (query.search && (counted?.n ?? 0) === 0 && mayForgive(query.search)) {
      const forgiving = this.listSql(actor, query, true);
      [rows, counted] = await withForgivingSearch(this.dataSource, async (reader) => [
        await selectRows<TenantEntity>(reader, forgiving.page, forgiving.params),
        await selectOne<{ n: number }>(reader, forgiving.count, forgiving.countParams),
      ]);
    }
    return { items: rows.map(tenantView), page: query.page, pageSize: query.pageSize, ...windowedTotal(counted?.n ?? 0) };
  }

  /** The page and count statements of the list, the search's words matched as typed or (`forgiving`) nearly. */
  private listSql(actor: Actor, query: ListTenantsQuery, forgiving: boolean): { page: string; params: unknown[]; count: string; countParams: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const own = tenantFilterOf(actor);
    if (own) where.push(`t.id = ${param(own)}`);
    if (query.status) where.push(`t.status = ${param(query.status)}`);
    if (query.dataRetrievalEnabled !== undefined) where.push(`t.data_retrieval_enabled = ${param(query.dataRetrievalEnabled)}`);
    if (query.legalCategory) where.push(`t.legal_category_code LIKE ${param(`${query.legalCategory}%`)}`);
    if (query.search) where.push(tenantSearchCondition(query.search, param, 't', forgiving));
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const count = windowedCountSql(`SELECT 1 FROM tenant t ${whereSql}`);
    const countParams = [...params];
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    // Relevance by default when a word of the search has three characters or more: shorter terms
    // match the start of words, often of a quarter of the names, which the name index serves in order.
    const sort = query.sort ?? (query.search && searchWords(query.search).some((word) => word.length >= 3) ? 'relevance' : 'name');
    // Relevance ranks the matches of the search (best first whatever `order`), names breaking ties.
    const [sortKey, then, thenDirection] =
      sort === 'relevance' && query.search
        ? [tenantSearchRank(query.search, param), 't.name_key', 'ASC']
        : [SORT_COLUMNS[sort === 'relevance' ? 'name' : sort], 't.id', direction];
    const keyDirection = sort === 'relevance' && query.search ? 'ASC' : direction;
    const page = `SELECT ${this.tenantColumns()}
       FROM (SELECT t.id, ${sortKey} AS sort_key, ${then} AS then_key FROM tenant t ${whereSql}
              ORDER BY 2 ${keyDirection}, 3 ${thenDirection}, t.id ${thenDirection}
              LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}) AS p
       JOIN tenant t ON t.id = p.id
      ORDER BY p.sort_key ${keyDirection}, p.then_key ${thenDirection}, p.id ${thenDirection}`;
    return { page, params, count, countParams };
  }

  /** `t.<column> AS "<property>"` for every column the entity selects, so that a raw row reads as a `TenantEntity`. */
  private tenantColumns(): string {
    this.columnsSql ??= this.dataSource
      .getMetadata(TenantEntity)
      .columns.filter((column) => column.isSelect)
      .map((column) => `t.${column.databaseName} AS "${column.propertyName}"`)
      .join(', ');
    return this.columnsSql;
  }

  async create(actor: Actor, input: CreateTenantInput, requestId: string | null): Promise<TenantView> {
    const repository = this.dataSource.getRepository(TenantEntity);
    if (await repository.existsBy({ siret: input.siret })) throw siretConflict(input.siret);
    if (input.slug && (await repository.existsBy({ slug: input.slug }))) throw slugConflict(input.slug);
    // The directory is called before the transaction: never hold a transaction open on a network call.
    const facts = await this.consultDirectory(input.siret);
    const name = input.name ?? facts.entry?.name ?? `Organisme ${formatSiret(input.siret)}`;
    const nameSource: TenantNameSource = input.name ? 'manual' : facts.entry ? 'directory' : 'placeholder';
    for (let attempt = 1; ; attempt += 1) {
      const slug = input.slug ?? (await this.freeSlugFor(name));
      try {
        const created = await this.dataSource.transaction(async (manager) => {
          const values: Partial<TenantEntity> = {
            siret: input.siret,
            slug,
            name,
            nameSource,
            status: 'active',
            ...this.directoryColumns(facts),
            technicalContact: input.technicalContact ?? null,
            administrativeContact: input.administrativeContact ?? null,
            connexionEnabled: input.connexionEnabled ?? true,
            dataRetrievalEnabled: input.dataRetrievalEnabled ?? false,
            branding: {},
          };
          const inserted = await manager.getRepository(TenantEntity).save(manager.getRepository(TenantEntity).create(values));
          await appendAudit(manager, {
            actor: auditActorOf(actor),
            tenantId: inserted.id,
            action: 'tenant.created',
            target: { type: 'tenant', id: inserted.id },
            changes: {
              siret: { after: inserted.siret },
              slug: { after: inserted.slug },
              name: { after: inserted.name },
              nameSource: { after: nameSource },
              legalCategoryCode: { after: inserted.legalCategoryCode },
              directoryWarnings: { after: inserted.directoryWarnings.map((w) => w.code) },
              connexionEnabled: { after: inserted.connexionEnabled },
              dataRetrievalEnabled: { after: inserted.dataRetrievalEnabled },
            },
            requestId,
          });
          return inserted;
        });
        return tenantView(await repository.findOneOrFail({ where: { id: created.id } }));
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (constraint === 'tenant_siret_uq') throw siretConflict(input.siret);
        if (constraint === 'tenant_slug_uq') {
          if (input.slug) throw slugConflict(input.slug);
          if (attempt < SLUG_ATTEMPTS) continue;
        }
        throw error;
      }
    }
  }

  async patch(actor: Actor, id: string, input: PatchTenantInput, requestId: string | null): Promise<TenantView> {
    assertTenantAccess(actor, id, TENANT_NOT_FOUND);
    if (actor.kind === 'client_admin') {
      const refused = Object.keys(input).filter((key) => !CLIENT_ADMIN_PATCHABLE.has(key as keyof PatchTenantInput));
      if (refused.length > 0) {
        throw new AppError('FORBIDDEN', { detail: `Seule l’équipe de l’éditeur peut modifier : ${refused.join(', ')}.` });
      }
    }
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(TenantEntity);
      const current = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
      if (current.version !== input.version) throw staleVersion(current.version);
      const next: Partial<TenantEntity> = {};
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      const consider = <K extends keyof TenantEntity>(key: K, value: TenantEntity[K] | undefined): void => {
        if (value === undefined || JSON.stringify(value) === JSON.stringify(current[key])) return;
        next[key] = value;
        changes[key] = { before: current[key], after: value };
      };
      consider('name', input.name);
      if (input.name !== undefined && input.name !== current.name) next.nameSource = 'manual';
      consider('status', input.status);
      consider('technicalContact', input.technicalContact);
      consider('administrativeContact', input.administrativeContact);
      consider('connexionEnabled', input.connexionEnabled);
      consider('dataRetrievalEnabled', input.dataRetrievalEnabled);
      // Retrieval at login is a way of retrieving data: it needs it, and goes off with it.
      const retrievalOn = input.dataRetrievalEnabled ?? current.dataRetrievalEnabled;
      if (input.dataRetrievalAtLogin && !retrievalOn) {
        const message = 'la récupération à la connexion suppose la récupération de données activée';
        throw new AppError('VALIDATION_FAILED', { detail: `Impossible : ${message}.`, violations: [{ path: 'dataRetrievalAtLogin', message }] });
      }
      consider('dataRetrievalAtLogin', retrievalOn ? input.dataRetrievalAtLogin : false);
      if (input.branding) consider('branding', mergeBranding(current.branding ?? {}, input.branding));
      if (Object.keys(changes).length === 0) return;
      await repository
        .createQueryBuilder()
        .update(TenantEntity)
        .set({ ...next, updatedAt: () => 'now()', version: () => 'version + 1' } as never)
        .where('id = :id', { id })
        .execute();
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId: id,
        action: 'tenant.updated',
        target: { type: 'tenant', id },
        changes,
        requestId,
      });
      // What the portal shows or offers changed: the qualification robot verifies it again.
      const affecting = ROBOT_AFFECTING_FIELDS.filter((field) => field in changes);
      if (affecting.length > 0 && (next.status ?? current.status) === 'active') {
        await requestRobotRunAfterChange(manager, id, `Modifié : ${affecting.map((f) => ROBOT_AFFECTING_FIELD_LABELS[f]).join(', ')}`);
      }
    });
    return this.get(actor, id);
  }

  /** Looks the SIRET up again and stores what the directory says now (503 when it still cannot answer). */
  async refreshDirectory(actor: Actor, id: string, requestId: string | null): Promise<TenantView> {
    const tenant = await this.requireTenant(actor, id);
    const facts = await this.consultDirectory(tenant.siret);
    if (!facts.available) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'L’annuaire des entreprises ne répond pas : réessayez dans quelques minutes.' });
    }
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(TenantEntity);
      const current = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
      const columns = this.directoryColumns(facts);
      const renamed = facts.entry && current.nameSource !== 'manual' && current.name !== facts.entry.name;
      const set: Partial<TenantEntity> = { ...columns, ...(renamed && facts.entry ? { name: facts.entry.name, nameSource: 'directory' as const } : {}) };
      await repository
        .createQueryBuilder()
        .update(TenantEntity)
        .set({ ...set, updatedAt: () => 'now()', version: () => 'version + 1' } as never)
        .where('id = :id', { id })
        .execute();
      const changes: Record<string, unknown> = {
        legalCategoryCode: { before: current.legalCategoryCode, after: columns.legalCategoryCode },
        address: { before: current.address, after: columns.address },
        directoryWarnings: { before: current.directoryWarnings.map((w) => w.code), after: (columns.directoryWarnings ?? []).map((w) => w.code) },
      };
      if (renamed && facts.entry) changes.name = { before: current.name, after: facts.entry.name };
      await appendAudit(manager, { actor: auditActorOf(actor), tenantId: id, action: 'tenant.directory_refreshed', target: { type: 'tenant', id }, changes, requestId });
    });
    return this.get(actor, id);
  }

  private async consultDirectory(siret: string): Promise<DirectoryFacts> {
    try {
      const entry = await this.directory.lookupSiret(siret);
      return { entry, available: true, warnings: entry ? warningsForEntry(entry) : [DIRECTORY_NOT_FOUND_WARNING] };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.logger.warn({ code: typeof code === 'string' ? code : 'UNKNOWN' }, 'company directory unavailable');
      return { entry: null, available: false, warnings: [DIRECTORY_UNAVAILABLE_WARNING] };
    }
  }

  private directoryColumns(facts: DirectoryFacts): Partial<TenantEntity> {
    const entry = facts.entry;
    const code = entry?.legalCategoryCode ?? null;
    return {
      address: entry ? { ...entry.address } : null,
      legalCategoryCode: code,
      legalCategoryLabel: code ? describeLegalCategory(code).label : null,
      directoryWarnings: facts.warnings,
      directoryCheckedAt: facts.available ? new Date() : null,
    };
  }

  private async freeSlugFor(name: string): Promise<string> {
    let base = slugify(name);
    if (base.length < SLUG_MIN_LENGTH) base = base ? `organisme-${base}` : 'organisme';
    const rows: { slug: string }[] = await this.dataSource.query(`SELECT slug FROM tenant WHERE slug = $1 OR slug LIKE $2 ESCAPE '\\'`, [
      base,
      `${escapeLike(base.slice(0, 55))}-%`,
    ]);
    return firstFreeSlug(base, new Set(rows.map((r) => r.slug)));
  }
}

function mergeBranding(current: TenantBranding, patch: { [K in keyof TenantBranding]?: string | null }): TenantBranding {
  const merged: Record<string, string> = { ...(current as Record<string, string>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function siretConflict(siret: string): AppError {
  return new AppError('CONFLICT', {
    detail: `Un organisme avec le SIRET ${formatSiret(siret)} existe déjà.`,
    violations: [{ path: 'siret', message: 'SIRET déjà enregistré' }],
  });
}

function slugConflict(slug: string): AppError {
  return new AppError('CONFLICT', {
    detail: `L’identifiant d’URL « ${slug} » est déjà utilisé par un autre organisme.`,
    violations: [{ path: 'slug', message: 'identifiant déjà utilisé' }],
  });
}

function staleVersion(current: number): AppError {
  return new AppError('CONFLICT', {
    detail: `La fiche a été modifiée entre-temps (version actuelle : ${current}) : rechargez-la puis recommencez.`,
    extensions: { currentVersion: current },
  });
}
