import { Injectable } from '@nestjs/common';
import {
  enabledModes,
  isHabilitationProduct,
  isHabilitationState,
  isQualificationItemId,
  type ChecklistEntry,
  type Environment,
  type HabilitationProduct,
  type HabilitationState,
  type OnboardingSnapshot,
  type QualificationModes,
} from '@fcplat/domain';
import type { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '../database/raw-sql.js';

/** Everything the onboarding guards look at, except the stage itself. */
export type OnboardingFacts = Omit<OnboardingSnapshot, 'stage'>;

/** DI token of the {@link OnboardingFactsProvider}. */
export const ONBOARDING_FACTS = Symbol('ONBOARDING_FACTS');

/**
 * Builds the facts of the onboarding snapshot of one tenant: its modes, habilitation states,
 * which credentials are stored, its checklist, its Démarches Simplifiées file number, and whether
 * the editor's software is already qualified. Reads with the caller's `manager` so a transition
 * sees the facts inside its own transaction (and never waits on a second pool connection).
 */
export interface OnboardingFactsProvider {
  factsFor(manager: EntityManager, tenantId: string): Promise<OnboardingFacts>;
}

export interface TenantsAreaFacts {
  readonly habilitations: Partial<Record<HabilitationProduct, HabilitationState | null>>;
  readonly credentials: {
    readonly franceconnect: Partial<Record<Environment, boolean>>;
    readonly apiParticulier: Partial<Record<Environment, boolean>>;
  };
}

interface ColumnRow {
  readonly table_name: string;
  readonly column_name: string;
}

/**
 * Habilitation and credential facts, owned by the tenants area and read through its contract:
 * - `tenant_habilitation (tenant_id, product, state, …)`: the current DataPass state per product
 *   (`franceconnect` | `api_particulier`; one row per tenant and product there; should several
 *   rows exist, the most recent by `updated_at`, or `created_at`, wins);
 * - `tenant_credential (tenant_id, kind, environment, …)`: a view with one row per stored secret,
 *   `kind` `franceconnect` | `api_particulier`, `environment` `sandbox` | `production` (a
 *   FranceConnect `integration` client counts as `sandbox`: both are integration credentials;
 *   other environments such as `staging` or `custom` do not count; an API Particulier token with
 *   a NULL environment counts as production).
 * Both are checked first (`to_regclass` and the catalogue), so a missing relation or column never
 * aborts the caller's transaction: without them, no habilitation is recorded and no credential is
 * stored.
 */
export async function readTenantsAreaFacts(manager: EntityManager, tenantId: string): Promise<TenantsAreaFacts> {
  const columns = await selectRows<ColumnRow>(
    manager,
    `SELECT c.relname AS table_name, a.attname AS column_name
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE a.attrelid IN (to_regclass('tenant_habilitation'), to_regclass('tenant_credential'))
        AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const has = (table: string, ...names: string[]): boolean =>
    names.every((name) => columns.some((c) => c.table_name === table && c.column_name === name));

  const habilitations: Partial<Record<HabilitationProduct, HabilitationState | null>> = {};
  if (has('tenant_habilitation', 'tenant_id', 'product', 'state')) {
    const recency = has('tenant_habilitation', 'updated_at') ? 'updated_at DESC' : has('tenant_habilitation', 'created_at') ? 'created_at DESC' : 'state';
    const rows = await selectRows<{ product: string; state: string }>(
      manager,
      `SELECT DISTINCT ON (product) product::text AS product, state::text AS state
         FROM tenant_habilitation WHERE tenant_id = $1 ORDER BY product, ${recency}`,
      [tenantId],
    );
    for (const row of rows) {
      if (isHabilitationProduct(row.product)) habilitations[row.product] = isHabilitationState(row.state) ? row.state : null;
    }
  }

  const franceconnect: Partial<Record<Environment, boolean>> = {};
  const apiParticulier: Partial<Record<Environment, boolean>> = {};
  if (has('tenant_credential', 'tenant_id', 'kind', 'environment')) {
    const rows = await selectRows<{ kind: string; environment: string | null }>(
      manager,
      `SELECT DISTINCT kind::text AS kind, environment::text AS environment FROM tenant_credential WHERE tenant_id = $1`,
      [tenantId],
    );
    for (const row of rows) {
      const stored = row.environment ?? (row.kind === 'api_particulier' ? 'production' : null);
      // FranceConnect's integration platform issues integration credentials too (the `sandbox` fact).
      const environment = row.kind === 'franceconnect' && stored === 'integration' ? 'sandbox' : stored;
      if (environment !== 'sandbox' && environment !== 'production') continue;
      if (row.kind === 'franceconnect') franceconnect[environment] = true;
      else if (row.kind === 'api_particulier') apiParticulier[environment] = true;
    }
  }
  return { habilitations, credentials: { franceconnect, apiParticulier } };
}

interface TenantFactsRow {
  readonly connexion_enabled: boolean;
  readonly data_retrieval_enabled: boolean;
  readonly ds_file_number: string | null;
  readonly editor_qualified_connexion: boolean | null;
  readonly editor_qualified_data_retrieval: boolean | null;
}

interface CheckRow {
  readonly item_id: string;
  readonly status: ChecklistEntry['status'];
  readonly source: ChecklistEntry['source'];
  readonly checked_at: Date;
  readonly evidence_text: string | null;
}

/** Whether the editor's software is qualified for every mode the tenant uses. */
export function isEditorQualifiedFor(modes: QualificationModes, qualified: { connexion: boolean; dataRetrieval: boolean }): boolean {
  const enabled = enabledModes(modes);
  return enabled.length > 0 && enabled.every((mode) => (mode === 'C' ? qualified.connexion : qualified.dataRetrieval));
}

/** The platform's provider: SQL on the tenant, case, checklist and settings tables (and the tenants area's). */
@Injectable()
export class SqlOnboardingFactsProvider implements OnboardingFactsProvider {
  async factsFor(manager: EntityManager, tenantId: string): Promise<OnboardingFacts> {
    const row = await selectOne<TenantFactsRow>(
      manager,
      `SELECT t.connexion_enabled, t.data_retrieval_enabled, c.ds_file_number,
              s.editor_qualified_connexion, s.editor_qualified_data_retrieval
         FROM tenant t
         LEFT JOIN onboarding_case c ON c.tenant_id = t.id
         LEFT JOIN onboarding_setting s ON s.id
        WHERE t.id = $1`,
      [tenantId],
    );
    if (!row) throw new Error(`Tenant ${tenantId} vanished while reading its onboarding facts`);
    const checks = await selectRows<CheckRow>(
      manager,
      `SELECT item_id, status, source, checked_at, evidence_text FROM qualification_check WHERE tenant_id = $1`,
      [tenantId],
    );
    const checklist: ChecklistEntry[] = [];
    for (const check of checks) {
      if (!isQualificationItemId(check.item_id)) continue;
      checklist.push({
        id: check.item_id,
        status: check.status,
        source: check.source,
        checkedAt: check.checked_at.toISOString(),
        ...(check.evidence_text === null ? {} : { note: check.evidence_text }),
      });
    }
    // The robot's last completed run: its failing items hold a qualification request back.
    const robotFailures = await selectRows<{ item_id: string }>(
      manager,
      `SELECT r.item_id FROM qualification_robot_result r
        WHERE r.verdict = 'failed'
          AND r.run_id = (SELECT id FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'completed' ORDER BY finished_at DESC LIMIT 1)
        ORDER BY r.item_id`,
      [tenantId],
    );
    const modes = { connexion: row.connexion_enabled, dataRetrieval: row.data_retrieval_enabled };
    const tenantsArea = await readTenantsAreaFacts(manager, tenantId);
    return {
      modes,
      habilitations: tenantsArea.habilitations,
      credentials: tenantsArea.credentials,
      checklist,
      dsFileNumber: row.ds_file_number,
      editorQualified: isEditorQualifiedFor(modes, {
        connexion: row.editor_qualified_connexion ?? false,
        dataRetrieval: row.editor_qualified_data_retrieval ?? false,
      }),
      robotFailures: robotFailures.map((r) => r.item_id),
    };
  }
}
