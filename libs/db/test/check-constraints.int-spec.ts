import type { DataSource } from 'typeorm';
import {
  API_PARTICULIER_APIS,
  API_PARTICULIER_ENVIRONMENTS,
  BATCH_MODALITIES,
  CALL_MODALITIES,
  CALL_STATUSES,
  COMMENT_VISIBILITIES,
  FRANCECONNECT_ENVIRONMENTS,
  FRANCECONNECT_SIGNING_ALGORITHMS,
  HABILITATION_PRODUCTS,
  HABILITATION_STATES,
  ITEM_STATUSES,
  LIVE_ENVIRONMENT_PRODUCTS,
  NOTIFICATION_KINDS,
  NOTIFICATION_MODES,
  ONBOARDING_STAGES,
  ROBOT_RUN_STATUSES,
  ROBOT_RUN_TRIGGERS,
  ROBOT_VERDICTS,
  STAFF_ROLES,
  USER_KINDS,
  USER_STATUSES,
  LOGO_CONTENT_TYPES,
} from '@fcplat/domain';
import { ACTOR_TYPES } from '@fcplat/db';
import { migratedTestDataSource } from '@fcplat/testing';

/**
 * The database's enumerated CHECK constraints (`col IN (...)`) against the constants they store.
 * The migrations are history and stay as written; this test makes a new value in a constant
 * (a fifth API Particulier dataset, a new FranceConnect environment) fail until a migration lets
 * the database accept it. Every enumerated CHECK of the schema must be listed below: mapped to its
 * constant, or declared as the table's own lifecycle (a list that exists nowhere else).
 */
const NON_PRODUCTION_FC = FRANCECONNECT_ENVIRONMENTS.filter((e) => e !== 'production');

const FROM_CONSTANTS: Readonly<Record<string, readonly (string | number)[]>> = {
  'api_particulier_batch.api': API_PARTICULIER_APIS,
  'api_particulier_batch.environment': API_PARTICULIER_ENVIRONMENTS,
  'api_particulier_batch.modality': BATCH_MODALITIES,
  'api_particulier_call.api': API_PARTICULIER_APIS,
  'api_particulier_call.environment': API_PARTICULIER_ENVIRONMENTS,
  'api_particulier_call.modality': CALL_MODALITIES,
  'api_particulier_call.status': CALL_STATUSES,
  'api_particulier_credential.environment': API_PARTICULIER_ENVIRONMENTS,
  'app_user.kind': USER_KINDS,
  'tenant_logo.content_type': LOGO_CONTENT_TYPES,
  'app_user.staff_role': STAFF_ROLES,
  'app_user.status': USER_STATUSES,
  'audit_log.actor_type': ACTOR_TYPES,
  'citizen_session.fc_environment': FRANCECONNECT_ENVIRONMENTS,
  'datapass_webhook_delivery.product': HABILITATION_PRODUCTS,
  'franceconnect_credential.environment': FRANCECONNECT_ENVIRONMENTS,
  'franceconnect_credential.signing_algorithm': FRANCECONNECT_SIGNING_ALGORITHMS,
  'franceconnect_login_activity.environment': FRANCECONNECT_ENVIRONMENTS,
  'onboarding_case.stage': ONBOARDING_STAGES,
  'onboarding_comment.visibility': COMMENT_VISIBILITIES,
  'onboarding_stage_change.from_stage': ONBOARDING_STAGES,
  'onboarding_stage_change.to_stage': ONBOARDING_STAGES,
  'qualification_check.status': ITEM_STATUSES,
  'qualification_robot_pass.environment': NON_PRODUCTION_FC,
  'qualification_robot_result.environment': FRANCECONNECT_ENVIRONMENTS,
  'qualification_robot_result.verdict': ROBOT_VERDICTS,
  'qualification_robot_run.live_environment': FRANCECONNECT_ENVIRONMENTS,
  'qualification_robot_run.login_environment': NON_PRODUCTION_FC,
  'qualification_robot_run.status': ROBOT_RUN_STATUSES,
  'qualification_robot_run.trigger': ROBOT_RUN_TRIGGERS,
  'tenant_habilitation.product': HABILITATION_PRODUCTS,
  'tenant_habilitation.state': HABILITATION_STATES,
  'tenant_habilitation_history.product': HABILITATION_PRODUCTS,
  'tenant_habilitation_history.from_state': HABILITATION_STATES,
  'tenant_habilitation_history.to_state': HABILITATION_STATES,
  'tenant_live_environment.product': LIVE_ENVIRONMENT_PRODUCTS,
  'tenant_live_environment.environment[franceconnect]': FRANCECONNECT_ENVIRONMENTS,
  'tenant_live_environment.environment[api_particulier]': API_PARTICULIER_ENVIRONMENTS,
  'notification_event.kind': NOTIFICATION_KINDS,
  'notification.kind': NOTIFICATION_KINDS,
  'notification_preference.kind': NOTIFICATION_KINDS,
  'notification_preference.mode': NOTIFICATION_MODES,
  // A notification's e-mail goes at once or in the digest ('off' writes no notification at all).
  'notification.email_mode': NOTIFICATION_MODES.filter((m) => m !== 'off'),
};

/** Lists that belong to their table alone (a row's own lifecycle or origin), with where they are read. */
const TABLE_OWN = new Set([
  'api_particulier_call.origin', // who asked: the ledger's own column
  'api_particulier_call.priority', // 0 batch, 1 citizen: the dispatcher's order
  'citizen.gender', // the pivot identity as stored, mapped from FranceConnect's claim
  'citizen.identity_source',
  'citizen_session.fc_purpose',
  'citizen_session.source',
  'datapass_webhook_delivery.outcome', // the webhook journal's own outcomes
  'franceconnect_state.kind',
  'job_outcome.status',
  'notification.email_status', // the e-mail's claim: pending → sending → sent (or skipped without SMTP)
  'notification_digest.status',
  'onboarding_comment.author_type',
  'onboarding_stage_change.actor_type',
  'onboarding_stage_change.kind',
  'qualification_check.source',
  'tenant.name_source',
  'tenant.status',
  'tenant_habilitation_history.actor_type',
  'tenant_habilitation_history.source',
  'user_one_time_token.purpose',
]);

interface EnumeratedCheck {
  readonly key: string;
  readonly values: readonly (string | number)[];
}

const LIST = String.raw`ARRAY\[([^\]]*)\]`;
/** The whole constraint is `col IN (...)`. */
const SIMPLE = new RegExp(String.raw`^CHECK \(\((\w+) = ANY \(` + LIST + String.raw`\)\)\)$`);
/** One branch of `(product = 'x' AND col IN (...)) OR …`: the allowed values of `col` per product. */
const PER_PRODUCT = new RegExp(String.raw`\(\(product = '(\w+)'::text\) AND \((\w+) = ANY \(` + LIST + String.raw`\)\)\)`, 'g');

function valuesOf(list: string): (string | number)[] {
  return list.split(',').map((raw) => {
    const text = /'((?:[^']|'')*)'/.exec(raw);
    return text ? (text[1] ?? '').replace(/''/g, "'") : Number(raw.trim());
  });
}

/**
 * The enumerations a CHECK definition states: `col IN (...)` alone (PostgreSQL prints it
 * `col = ANY (ARRAY[...])`), or per-product lists keyed `col[product]`. A list inside another
 * condition (`status IN ('succeeded', 'failed') OR finished_at IS NULL`) is a rule, not an
 * enumeration, and is not read.
 */
function enumeratedChecks(table: string, definition: string): EnumeratedCheck[] {
  const simple = SIMPLE.exec(definition);
  if (simple) return [{ key: `${table}.${simple[1]}`, values: valuesOf(simple[2] ?? '') }];
  return [...definition.matchAll(PER_PRODUCT)].map(([, product, column, list]) => ({ key: `${table}.${column}[${product}]`, values: valuesOf(list ?? '') }));
}

function mismatches(checks: readonly EnumeratedCheck[], constants: Readonly<Record<string, readonly (string | number)[]>>): string[] {
  const sorted = (values: readonly (string | number)[]): string => JSON.stringify([...values].map(String).sort());
  return checks
    .filter((c) => c.key in constants && sorted(c.values) !== sorted(constants[c.key] ?? []))
    .map((c) => `${c.key}: the database accepts ${JSON.stringify(c.values)}, the constant says ${JSON.stringify(constants[c.key])}`);
}

describe('enumerated CHECK constraints follow the constants', () => {
  let dataSource: DataSource;
  let checks: EnumeratedCheck[];

  beforeAll(async () => {
    dataSource = await migratedTestDataSource();
    const rows = (await dataSource.query(
      `SELECT conrelid::regclass::text AS "table", pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace`,
    )) as { table: string; definition: string }[];
    checks = rows.flatMap((row) => enumeratedChecks(row.table, row.definition));
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('reads the constraints (the parser is not blind)', () => {
    expect(checks.length).toBeGreaterThanOrEqual(Object.keys(FROM_CONSTANTS).length);
    expect(enumeratedChecks('t', "CHECK ((api = ANY (ARRAY['a'::text, 'b'::text])))")).toEqual([{ key: 't.api', values: ['a', 'b'] }]);
    expect(enumeratedChecks('t', "CHECK ((((product = 'franceconnect'::text) AND (environment = ANY (ARRAY['x'::text]))) OR ((product = 'api_particulier'::text) AND (environment = ANY (ARRAY['y'::text, 'z'::text])))))")).toEqual([
      { key: 't.environment[franceconnect]', values: ['x'] },
      { key: 't.environment[api_particulier]', values: ['y', 'z'] },
    ]);
    expect(enumeratedChecks('t', "CHECK (((status = ANY (ARRAY['succeeded'::text, 'failed'::text])) OR (finished_at IS NULL)))")).toEqual([]);
  });

  it('every enumerated CHECK is mapped to its constant or declared the table’s own', () => {
    const unlisted = checks.map((c) => c.key).filter((key) => !(key in FROM_CONSTANTS) && !TABLE_OWN.has(key));
    expect(unlisted).toEqual([]);
    const seen = new Set(checks.map((c) => c.key));
    expect([...Object.keys(FROM_CONSTANTS), ...TABLE_OWN].filter((key) => !seen.has(key))).toEqual([]);
  });

  it('accepts exactly the values of each constant', () => {
    expect(mismatches(checks, FROM_CONSTANTS)).toEqual([]);
  });

  it('fails on a constant the database does not follow (a fifth dataset without its migration)', () => {
    const withFifth = { ...FROM_CONSTANTS, 'api_particulier_call.api': [...API_PARTICULIER_APIS, 'allocation_adulte_handicape'] };
    expect(mismatches(checks, withFifth)).toEqual([expect.stringMatching(/^api_particulier_call\.api: /)]);
  });
});
