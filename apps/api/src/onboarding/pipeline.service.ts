import { Inject, Injectable } from '@nestjs/common';
import { appendAudit } from '@fcplat/db';
import {
  ONBOARDING_STAGES,
  ONBOARDING_STAGE_LABELS,
  STAFF_PARTY_LABELS,
  STAGE_SLAS,
  computeWaiting,
  csvDocument,
  environmentLabel,
  frenchCalendarDate,
  isOnboardingStage,
  parisDateTime,
  type AnyEnvironment,
  type OnboardingStage,
} from '@fcplat/domain';
import type { DataSource } from 'typeorm';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { PIPELINE_EXPORT_MAX_ROWS, type CaseListItem, type CasesExportQuery, type CasesQuery, type PipelineView, type SettingsView, type WindowedPage } from '@fcplat/contract';
import { selectOne, selectRows } from '../database/raw-sql.js';
import { windowedCountSql, windowedTotal } from '../database/windowed-list.js';
import { mayForgive, tenantSearchCondition, withForgivingSearch } from '../tenants/tenant-search.js';
import { refreshPendingTimings } from './timing.js';

interface CaseListRow {
  readonly tenant_id: string;
  readonly tenant_name: string;
  readonly siret: string;
  readonly stage: string;
  readonly stage_entered_at: Date;
  readonly deadline_on: string | null;
  readonly overdue: boolean;
  readonly assignee_id: string | null;
  readonly assignee_name: string | null;
  readonly ds_file_number: string | null;
  readonly fc_environment: string | null;
  readonly apip_environment: string | null;
}

function stageOf(value: string): OnboardingStage {
  if (!isOnboardingStage(value)) throw new Error(`Unknown onboarding stage in the database: ${value}`);
  return value;
}

export interface CasesListSql {
  readonly list: string;
  readonly listParams: readonly unknown[];
  readonly count: string;
  readonly countParams: readonly unknown[];
}

/** The SQL of one page of the case list and of its total, counted up to `LIST_WINDOW` (exported so tests can EXPLAIN it). */
export function casesListSql(query: CasesQuery, forgiving = false): CasesListSql {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  let needsTenant = false;
  if (query.stage) where.push(`c.stage = ${param(query.stage)}`);
  if (query.overdue === 'true') where.push(`c.overdue_at <= now()`);
  if (query.overdue === 'false') where.push(`c.overdue_at > now()`);
  if (query.assignee === 'none') where.push(`c.assignee_id IS NULL`);
  else if (query.assignee) where.push(`c.assignee_id = ${param(query.assignee)}`);
  if (query.search) {
    needsTenant = true;
    where.push(tenantSearchCondition(query.search, param, 't', forgiving));
  }
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];

  const dir = (query.order ?? (query.sort === 'waiting' ? 'desc' : 'asc')) === 'desc' ? 'DESC' : 'ASC';
  // Waiting longest first (desc) = entered earliest first.
  const enteredDir = dir === 'DESC' ? 'ASC' : 'DESC';
  let orderSql: string;
  if (query.sort === 'waiting') orderSql = `c.stage_entered_at ${enteredDir}, c.tenant_id ${enteredDir}`;
  else if (query.sort === 'name') orderSql = `lower(t.name) ${dir}, t.id ${dir}`;
  // Within one stage, « by stage » is « longest waiting first », so the (stage, entered) index serves.
  else if (query.stage) orderSql = `c.stage_entered_at ASC, c.tenant_id ASC`;
  else orderSql = `c.stage_rank ${dir}, c.stage_entered_at ASC, c.tenant_id ASC`;
  const list = `SELECT c.tenant_id, t.name AS tenant_name, t.siret, c.stage, c.stage_entered_at, c.deadline_on::text AS deadline_on,
            (c.overdue_at <= now()) AS overdue, c.assignee_id, u.display_name AS assignee_name, c.ds_file_number,
            fc.environment AS fc_environment, apip.environment AS apip_environment
       FROM onboarding_case c
       JOIN tenant t ON t.id = c.tenant_id
       LEFT JOIN app_user u ON u.id = c.assignee_id
       LEFT JOIN tenant_live_environment fc ON fc.tenant_id = c.tenant_id AND fc.product = 'franceconnect'
       LEFT JOIN tenant_live_environment apip ON apip.tenant_id = c.tenant_id AND apip.product = 'api_particulier'
       ${whereSql}
      ORDER BY ${orderSql}
      LIMIT ${param(query.pageSize)} OFFSET ${param((query.page - 1) * query.pageSize)}`;
  const count = windowedCountSql(`SELECT 1 FROM onboarding_case c ${needsTenant ? 'JOIN tenant t ON t.id = c.tenant_id' : ''} ${whereSql}`);
  return { list, listParams: params, count, countParams };
}

/** Cases and overdue cases per stage: one grouped query (index-only on `(stage, overdue_at)`). */
export const PIPELINE_COUNTS_SQL = `SELECT stage, count(*)::int AS count, (count(*) FILTER (WHERE overdue_at <= now()))::int AS overdue
  FROM onboarding_case GROUP BY stage`;

/**
 * The staff pipeline: every case, filtered, sorted and paginated in SQL, and counts per stage.
 * Overdue is `overdue_at <= now()` (see timing.ts), so it filters and counts with indexes.
 */
@Injectable()
export class PipelineService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async listCases(query: CasesQuery, now = new Date()): Promise<WindowedPage<CaseListItem>> {
    const manager = this.dataSource.manager;
    await refreshPendingTimings(manager);
    const sql = casesListSql(query);
    let rows = await selectRows<CaseListRow>(manager, sql.list, sql.listParams);
    let total = await selectOne<{ n: number }>(manager, sql.count, sql.countParams);
    // Nothing found as typed: the same words again, forgiving typos (tenant-search.ts).
    if (query.search && (total?.n ?? 0) === 0 && mayForgive(query.search)) {
      const forgiving = casesListSql(query, true);
      [rows, total] = await withForgivingSearch(this.dataSource, async (reader) => [
        await selectRows<CaseListRow>(reader, forgiving.list, forgiving.listParams),
        await selectOne<{ n: number }>(reader, forgiving.count, forgiving.countParams),
      ]);
    }
    return {
      items: rows.map((r) => {
        const stage = stageOf(r.stage);
        return {
          tenantId: r.tenant_id,
          tenantName: r.tenant_name,
          siret: r.siret,
          stage,
          stageLabel: ONBOARDING_STAGE_LABELS[stage],
          stageEnteredAt: r.stage_entered_at.toISOString(),
          waitingWorkingDays: computeWaiting(r.stage_entered_at, now).workingDays,
          waitingOn: STAGE_SLAS[stage].waitingOn,
          waitingOnLabel: STAFF_PARTY_LABELS[STAGE_SLAS[stage].waitingOn],
          deadline: r.deadline_on,
          overdue: r.overdue === true,
          assignee: r.assignee_id && r.assignee_name ? { id: r.assignee_id, displayName: r.assignee_name } : null,
          dsFileNumber: r.ds_file_number,
          liveEnvironments: { franceconnect: r.fc_environment, apiParticulier: r.apip_environment },
        };
      }),
      page: query.page,
      pageSize: query.pageSize,
      ...windowedTotal(total?.n ?? 0),
    };
  }

  /**
   * The pipeline as CSV, with the list's filters and order (the columns of the screen, in French,
   * dates in France's time): at most `PIPELINE_EXPORT_MAX_ROWS` rows, the first ones in that order.
   */
  async exportCases(query: CasesExportQuery, now = new Date()): Promise<string> {
    const manager = this.dataSource.manager;
    await refreshPendingTimings(manager);
    const sql = casesListSql({ ...query, page: 1, pageSize: PIPELINE_EXPORT_MAX_ROWS });
    const rows = await selectRows<CaseListRow>(manager, sql.list, sql.listParams);
    const env = (product: 'franceconnect' | 'api_particulier', value: string | null): string => (value ? environmentLabel(product, value as AnyEnvironment) : '');
    return csvDocument(
      [
        'Client',
        'SIRET',
        'Étape',
        'Dans l’étape depuis le',
        'Attente (jours ouvrés)',
        'Qui doit agir',
        'Échéance',
        'En retard',
        'Responsable',
        'N° Démarches Simplifiées',
        'Environnement FranceConnect',
        'Environnement API Particulier',
      ],
      rows.map((r) => {
        const stage = stageOf(r.stage);
        return [
          r.tenant_name,
          r.siret,
          ONBOARDING_STAGE_LABELS[stage],
          parisDateTime(r.stage_entered_at),
          computeWaiting(r.stage_entered_at, now).workingDays,
          STAFF_PARTY_LABELS[STAGE_SLAS[stage].waitingOn],
          r.deadline_on ? frenchCalendarDate(r.deadline_on) : 'sans délai',
          r.overdue === true ? 'oui' : 'non',
          r.assignee_name ?? 'Non assigné',
          r.ds_file_number,
          env('franceconnect', r.fc_environment),
          env('api_particulier', r.apip_environment),
        ];
      }),
    );
  }

  /** Cases per stage and overdue cases per stage, in one grouped query. */
  async pipeline(): Promise<PipelineView> {
    const manager = this.dataSource.manager;
    await refreshPendingTimings(manager);
    const rows = await selectRows<{ stage: string; count: number; overdue: number }>(manager, PIPELINE_COUNTS_SQL);
    const byStage = new Map(rows.map((r) => [r.stage, r]));
    const stages = ONBOARDING_STAGES.map((stage) => ({
      stage,
      label: ONBOARDING_STAGE_LABELS[stage],
      count: byStage.get(stage)?.count ?? 0,
      overdue: byStage.get(stage)?.overdue ?? 0,
    }));
    return {
      stages,
      total: stages.reduce((sum, s) => sum + s.count, 0),
      overdue: stages.reduce((sum, s) => sum + s.overdue, 0),
    };
  }

  async settings(): Promise<SettingsView> {
    const row = await selectOne<SettingsRow>(
      this.dataSource.manager,
      `SELECT editor_qualified_connexion, editor_qualified_data_retrieval, updated_at, updated_by FROM onboarding_setting WHERE id`,
    );
    return settingsView(row);
  }

  /** Records whether FranceConnect has qualified the editor's software, per mode. */
  async updateSettings(
    actor: Actor,
    requestId: string | null,
    editorQualified: { connexion: boolean; dataRetrieval: boolean },
  ): Promise<SettingsView> {
    return this.dataSource.transaction(async (manager) => {
      const before = settingsView(
        await selectOne<SettingsRow>(
          manager,
          `SELECT editor_qualified_connexion, editor_qualified_data_retrieval, updated_at, updated_by FROM onboarding_setting WHERE id FOR UPDATE`,
        ),
      );
      const changes: Record<string, { before: boolean; after: boolean }> = {};
      if (before.editorQualified.connexion !== editorQualified.connexion) {
        changes.editorQualifiedConnexion = { before: before.editorQualified.connexion, after: editorQualified.connexion };
      }
      if (before.editorQualified.dataRetrieval !== editorQualified.dataRetrieval) {
        changes.editorQualifiedDataRetrieval = { before: before.editorQualified.dataRetrieval, after: editorQualified.dataRetrieval };
      }
      if (Object.keys(changes).length === 0) return before;
      const [row] = await selectRows<SettingsRow>(
        manager,
        `INSERT INTO onboarding_setting (id, editor_qualified_connexion, editor_qualified_data_retrieval, updated_at, updated_by)
         VALUES (true, $1, $2, now(), $3)
         ON CONFLICT (id) DO UPDATE SET editor_qualified_connexion = EXCLUDED.editor_qualified_connexion,
           editor_qualified_data_retrieval = EXCLUDED.editor_qualified_data_retrieval,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
         RETURNING editor_qualified_connexion, editor_qualified_data_retrieval, updated_at, updated_by`,
        [editorQualified.connexion, editorQualified.dataRetrieval, actor.userId],
      );
      await appendAudit(manager, { actor: auditActorOf(actor), tenantId: null, action: 'onboarding.settings_updated', changes, requestId });
      return settingsView(row ?? null);
    });
  }
}

interface SettingsRow {
  readonly editor_qualified_connexion: boolean;
  readonly editor_qualified_data_retrieval: boolean;
  readonly updated_at: Date;
  readonly updated_by: string | null;
}

function settingsView(row: SettingsRow | null): SettingsView {
  return {
    editorQualified: { connexion: row?.editor_qualified_connexion ?? false, dataRetrieval: row?.editor_qualified_data_retrieval ?? false },
    updatedAt: (row?.updated_at ?? new Date(0)).toISOString(),
    updatedBy: row?.updated_by ?? null,
  };
}
