import { AppError } from '@fcplat/common';
import { SecretBox } from '@fcplat/crypto';
import { appendAudit, FranceConnectCredentialEntity, TenantEntity, type AuditActor } from '@fcplat/db';
import { registerSandboxClient, sandboxClientRedirectUris, sandboxIssuer } from '../tenants/sandbox-franceconnect.js';
import { franceConnectSecretField } from '../tenants/secret-fields.js';
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
      context.out(`${config.http.publicUrl}/t/${tenant.slug}/`);
      return 0;
    },
  },
];
