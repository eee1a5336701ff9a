import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Factories of the onboarding area. Every tenant gets its onboarding case from the database
 * itself (a trigger opens it at stage `created`), so `makeTenant` is enough to have a case; these
 * helpers put a case or a checklist in a given state directly, for tests that need a past.
 */

export interface CaseStateOverrides {
  /** When the case entered `stage` (default: now). */
  readonly enteredAt?: Date;
  readonly dsFileNumber?: string | null;
  readonly assigneeId?: string | null;
}

/**
 * Puts the tenant's case at `stage` since `enteredAt`, without history or audit (test set-up).
 * The stored timing is reset (`overdue_at` NULL) so the API recomputes it with the domain's
 * working-day rules, as it does for cases opened by the database.
 */
export async function setOnboardingStage(
  dataSource: DataSource,
  tenantId: string,
  stage: string,
  overrides: CaseStateOverrides = {},
): Promise<void> {
  await dataSource.query(
    `UPDATE onboarding_case
        SET stage = $2, stage_entered_at = $3, deadline_on = NULL, overdue_at = NULL,
            ds_file_number = CASE WHEN $4 THEN $5 ELSE ds_file_number END,
            assignee_id = CASE WHEN $6 THEN $7::uuid ELSE assignee_id END
      WHERE tenant_id = $1`,
    [
      tenantId,
      stage,
      overrides.enteredAt ?? new Date(),
      overrides.dsFileNumber !== undefined,
      overrides.dsFileNumber ?? null,
      overrides.assigneeId !== undefined,
      overrides.assigneeId ?? null,
    ],
  );
}

export interface ChecklistRecord {
  readonly itemId: string;
  readonly status: 'todo' | 'passed' | 'failed' | 'not_applicable';
  readonly source?: 'manual' | 'robot';
  readonly evidenceText?: string | null;
  readonly checkedBy?: string | null;
}

/** Records checklist statuses directly (upsert), e.g. every applicable item `passed`. */
export async function recordChecklist(dataSource: DataSource, tenantId: string, records: readonly ChecklistRecord[]): Promise<void> {
  for (const record of records) {
    await dataSource.query(
      `INSERT INTO qualification_check (tenant_id, item_id, status, source, evidence_text, checked_by, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (tenant_id, item_id) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source,
         evidence_text = EXCLUDED.evidence_text, checked_by = EXCLUDED.checked_by, checked_at = EXCLUDED.checked_at, updated_at = now()`,
      [tenantId, record.itemId, record.status, record.source ?? 'manual', record.evidenceText ?? null, record.checkedBy ?? null],
    );
  }
}

export interface OnboardingSeedOptions {
  /** Stages to spread the cases over, round-robin (pass the domain's ONBOARDING_STAGES). */
  readonly stages: readonly string[];
  /** Cases entered their stage between now and this many days ago (default 60). */
  readonly maxAgeDays?: number;
  /** Staff user ids to assign one case in three to (round-robin). */
  readonly assigneeIds?: readonly string[];
}

export interface OnboardingSeedResult {
  /** Common prefix of the seeded tenants' names (`Commune seed <tag> <n>`). */
  readonly namePrefix: string;
  /** Common prefix of the seeded tenants' SIRETs (6 digits). */
  readonly siretPrefix: string;
}

/**
 * Seeds `count` tenants in one statement (their cases are opened by the database), then spreads
 * the cases over `stages` with deterministic pseudo-random entry dates. For benchmarks and
 * index checks; run it on a scratch database for exact counts.
 */
export async function seedOnboardingCases(dataSource: DataSource, count: number, options: OnboardingSeedOptions): Promise<OnboardingSeedResult> {
  const tag = randomBytes(3).toString('hex');
  const siretPrefix = `99${String(parseInt(tag, 16) % 10_000).padStart(4, '0')}`;
  const namePrefix = `Commune seed ${tag}`;
  if (count > 99_999_999) throw new RangeError('count too large for the SIRET scheme');
  await dataSource.query(
    `INSERT INTO tenant (siret, slug, name)
     SELECT $1 || lpad(i::text, 8, '0'), 'seed-' || $2 || '-' || i, $3 || ' ' || i
       FROM generate_series(1, $4::int) AS i`,
    [siretPrefix, tag, namePrefix, count],
  );
  const assignees = options.assigneeIds ?? [];
  await dataSource.query(
    `UPDATE onboarding_case c
        SET stage = ($2::text[])[1 + (s.n % array_length($2::text[], 1))],
            stage_entered_at = now() - make_interval(secs => ((s.n * 7919) % ($3::int * 86400))),
            assignee_id = CASE WHEN array_length($4::uuid[], 1) > 0 AND s.n % 3 = 0
                               THEN ($4::uuid[])[1 + (s.n / 3) % array_length($4::uuid[], 1)] END,
            deadline_on = NULL, overdue_at = NULL
       FROM (SELECT t.id, row_number() OVER (ORDER BY t.siret)::int AS n FROM tenant t WHERE t.siret LIKE $1 || '%') s
      WHERE c.tenant_id = s.id`,
    [siretPrefix, [...options.stages], options.maxAgeDays ?? 60, [...assignees]],
  );
  return { namePrefix, siretPrefix };
}
