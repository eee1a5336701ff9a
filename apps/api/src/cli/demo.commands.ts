import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import { SecretBox } from '@fcplat/crypto';
import { appendAudit, FranceConnectCredentialEntity, TenantEntity, type AuditActor } from '@fcplat/db';
import { API_PARTICULIER_CATALOGUE } from '@fcplat/domain';
import { mintSandboxToken } from '../tenants/sandbox-api-particulier.js';
import { registerSandboxClient, sandboxClientRedirectUris, sandboxIssuer } from '../tenants/sandbox-franceconnect.js';
import { apiParticulierTokenField, franceConnectSecretField } from '../tenants/secret-fields.js';
import { slugProblem } from '../tenants/slug.js';
import { option, type CliCommand } from './command.js';

/** Audit actor of the demo seeding. */
const CLI_ACTOR: AuditActor = { type: 'system', id: 'cli' };

/** The demo tenant: a commune present in the sandbox company directory. */
export const DEMO_TENANT = { siret: '21920023500014', name: 'Commune de Clamart', slug: 'clamart' } as const;

function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * `demo:seed`: the demo tenant wired to the sandbox FranceConnect (run by `npm start` once the
 * platform is ready). Idempotent: the tenant (found by SIRET) is created only when missing; its
 * `custom` FranceConnect client is registered at the sandbox only when it has none, or when the
 * sandbox no longer knows it or knows it with other redirect URIs (slug or PUBLIC_URL changed).
 * Prints the portal URL on stdout.
 */
export const DEMO_COMMANDS: CliCommand[] = [
  {
    name: 'demo:seed',
    summary: 'Create (once) the demo tenant wired to the sandbox FranceConnect and print its portal URL',
    usage: `demo:seed [--slug ${DEMO_TENANT.slug}]`,
    async run(args, context) {
      const config = context.config();
      const sandboxUrl = config.integrations.sandboxFranceConnectUrl;
      if (!sandboxUrl || !config.features.allowCustomEndpoints) {
        note('demo: SANDBOX_FRANCECONNECT_URL and ALLOW_CUSTOM_ENDPOINTS=true are required (test platforms only)');
        return 2;
      }
      const slug = option(args, 'slug') ?? DEMO_TENANT.slug;
      const problem = slugProblem(slug);
      if (problem) {
        note(`demo: --slug: ${problem}`);
        return 2;
      }
      const dataSource = await context.dataSource();
      const tenants = dataSource.getRepository(TenantEntity);

      let tenant = await tenants.findOne({ where: { siret: DEMO_TENANT.siret } });
      if (!tenant) {
        if (await tenants.existsBy({ slug })) throw new AppError('CONFLICT', { detail: `the slug "${slug}" belongs to another tenant; pass --slug` });
        tenant = await dataSource.transaction(async (manager) => {
          const repository = manager.getRepository(TenantEntity);
          const inserted = await repository.save(
            repository.create({ siret: DEMO_TENANT.siret, slug, name: DEMO_TENANT.name, nameSource: 'manual', status: 'active', connexionEnabled: true, dataRetrievalEnabled: true, branding: {} }),
          );
          await appendAudit(manager, {
            actor: CLI_ACTOR,
            tenantId: inserted.id,
            action: 'tenant.created',
            target: { type: 'tenant', id: inserted.id },
            changes: { siret: { after: inserted.siret }, slug: { after: inserted.slug }, name: { after: inserted.name }, nameSource: { after: 'manual' }, dataRetrievalEnabled: { after: true }, demo: true },
            requestId: null,
          });
          return inserted;
        });
        note(`Created the demo tenant ${tenant.name} (${tenant.slug}).`);
      }

      const base = `${config.http.publicUrl}/t/${tenant.slug}/auth/franceconnect`;
      const redirectUri = `${base}/callback`;
      const postLogoutRedirectUri = `${base}/logout/callback`;
      const issuerUrl = sandboxIssuer(sandboxUrl);
      const current = await dataSource.getRepository(FranceConnectCredentialEntity).findOne({ where: { tenantId: tenant.id, environment: 'custom' } });
      const known = current && current.issuerUrl === issuerUrl ? await sandboxClientRedirectUris(sandboxUrl, current.clientId) : null;
      if (!current || !known?.includes(redirectUri)) {
        // The network call happens before the transaction.
        const client = await registerSandboxClient(sandboxUrl, { clientName: tenant.name, redirectUri, postLogoutRedirectUri });
        const ciphertext = new SecretBox(config.secrets.keyring).encrypt(client.clientSecret, { tenantId: tenant.id, field: franceConnectSecretField('custom') });
        const tenantId = tenant.id;
        await dataSource.transaction(async (manager) => {
          const repository = manager.getRepository(FranceConnectCredentialEntity);
          const values = { clientId: client.clientId, clientSecretCiphertext: ciphertext, signingAlgorithm: 'ES256' as const, issuerUrl };
          let id: string;
          if (current) {
            await repository
              .createQueryBuilder()
              .update()
              .set({ ...values, updatedAt: () => 'now()', version: () => 'version + 1' })
              .where('id = :id', { id: current.id })
              .execute();
            id = current.id;
          } else {
            const result = await repository.createQueryBuilder().insert().values({ tenantId, environment: 'custom', ...values }).returning(['id']).execute();
            id = (result.raw as { id: string }[])[0]?.id ?? '';
          }
          await appendAudit(manager, {
            actor: CLI_ACTOR,
            tenantId,
            action: current ? 'credentials.franceconnect.updated' : 'credentials.franceconnect.created',
            target: { type: 'franceconnect_credential', id },
            changes: { environment: 'custom', clientId: { before: current?.clientId ?? null, after: client.clientId }, issuerUrl: { before: current?.issuerUrl ?? null, after: issuerUrl }, clientSecretReplaced: true },
            requestId: null,
          });
        });
        note(`Registered the demo tenant's client at the sandbox FranceConnect (${issuerUrl}).`);
      }
      await seedLiveEnvironment(dataSource, tenant.id, 'franceconnect', 'custom');
      const apipUrl = config.apiParticulier.sandboxUrl;
      if (apipUrl) await seedApiParticulier(dataSource, new SecretBox(config.secrets.keyring), tenant, apipUrl);
      context.out(`${config.http.publicUrl}/t/${tenant.slug}/`);
      return 0;
    },
  },
];

/** Scopes of the demo habilitation: the quotient familial and the C2S, by pivot identity and FranceConnect. */
const DEMO_APIS = ['quotient_familial', 'complementaire_sante_solidaire'] as const;

/**
 * The demo tenant's API Particulier: a validated habilitation (if it has none) and a sandbox token
 * minted at the stand-in (if it has no valid one), each with its audit row.
 */
async function seedApiParticulier(dataSource: DataSource, box: SecretBox, tenant: TenantEntity, apipUrl: string): Promise<void> {
  const [habilitation] = (await dataSource.query(`SELECT id FROM tenant_habilitation WHERE tenant_id = $1 AND product = 'api_particulier'`, [tenant.id])) as { id: string }[];
  if (!habilitation) {
    const scopes = DEMO_APIS.flatMap((api) => API_PARTICULIER_CATALOGUE[api].scopes.map((s) => s.scope));
    await dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO tenant_habilitation (tenant_id, product, state, scopes, modalities, validated_at) VALUES ($1, 'api_particulier', 'validated', $2::jsonb, $3::jsonb, now()) RETURNING id`,
        [tenant.id, JSON.stringify(scopes), JSON.stringify(['pivot_identity', 'france_connect'])],
      )) as [{ id: string }];
      await appendAudit(manager, {
        actor: CLI_ACTOR,
        tenantId: tenant.id,
        action: 'habilitation.created',
        target: { type: 'habilitation', id: row.id },
        changes: { product: 'api_particulier', state: { after: 'validated' }, scopes, modalities: ['pivot_identity', 'france_connect'], demo: true },
        requestId: null,
      });
    });
    note('Validated a demo API Particulier habilitation (quotient familial, C2S).');
  }
  const [credential] = (await dataSource.query(
    `SELECT id FROM api_particulier_credential WHERE tenant_id = $1 AND environment = 'sandbox' AND expires_on > current_date`,
    [tenant.id],
  )) as { id: string }[];
  if (!credential) await seedSandboxToken(dataSource, box, tenant, apipUrl);
  await seedLiveEnvironment(dataSource, tenant.id, 'api_particulier', 'sandbox');
}

/**
 * The demo tenant's live environment, when none is chosen yet: the platform's own stand-ins (a
 * choice of the platform's, no person; staff may change it like any other).
 */
async function seedLiveEnvironment(dataSource: DataSource, tenantId: string, product: 'franceconnect' | 'api_particulier', environment: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const inserted = (await manager.query(
      `INSERT INTO tenant_live_environment (tenant_id, product, environment, reason) VALUES ($1, $2, $3, 'Démonstration : bac à sable de la plateforme')
       ON CONFLICT (tenant_id, product) DO NOTHING RETURNING tenant_id`,
      [tenantId, product, environment],
    )) as unknown[];
    if (inserted.length === 0) return;
    await appendAudit(manager, {
      actor: CLI_ACTOR,
      tenantId,
      action: 'tenant.live_environment.changed',
      target: { type: 'tenant_live_environment', id: `${tenantId}:${product}` },
      changes: { product, environment: { before: null, after: environment }, demo: true },
      requestId: null,
    });
    note(`Chose the demo tenant's ${product} environment: ${environment}.`);
  });
}

async function seedSandboxToken(dataSource: DataSource, box: SecretBox, tenant: TenantEntity, apipUrl: string): Promise<void> {
  const minted = await mintSandboxToken(apipUrl, tenant.siret);
  await dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      `INSERT INTO api_particulier_credential (tenant_id, environment, token_ciphertext, received_on, expires_on) VALUES ($1, 'sandbox', $2, current_date, $3)
       ON CONFLICT (tenant_id, environment) DO UPDATE SET token_ciphertext = EXCLUDED.token_ciphertext, received_on = EXCLUDED.received_on, expires_on = EXCLUDED.expires_on, updated_at = now(), version = api_particulier_credential.version + 1
       RETURNING id`,
      [tenant.id, box.encrypt(minted.token, { tenantId: tenant.id, field: apiParticulierTokenField('sandbox') }), minted.expiresOn],
    )) as [{ id: string }];
    await appendAudit(manager, {
      actor: CLI_ACTOR,
      tenantId: tenant.id,
      action: 'credentials.api_particulier.created',
      target: { type: 'api_particulier_credential', id: row.id },
      changes: { environment: 'sandbox', expiresOn: minted.expiresOn, tokenReplaced: true },
      requestId: null,
    });
  });
  note(`Stored a sandbox API Particulier token for the demo tenant (${apipUrl}).`);
}
