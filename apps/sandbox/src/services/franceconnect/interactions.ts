import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors, type Interaction } from 'oidc-provider';
import type { ClientRegistry } from './clients.js';
import { HttpError, readFields, sendHtml } from './http-utils.js';
import { DEMO_IDENTITIES, findIdentity } from './identities.js';
import { errorPage, pickerPage } from './pages.js';
import { ACR, MOUNT_PATH } from './provider.js';

const INTERACTION_PATH = /^\/api\/v2\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|abort))?$/;
const FORM_LIMIT = 8 * 1024;

/** FranceConnect's description of a cancelled authentication (error 030030). */
export const ABORT_DESCRIPTION = 'User authentication aborted';

interface InteractionContext {
  readonly provider: Provider;
  readonly registry: ClientRegistry;
}

function clientNameOf(interaction: Interaction, registry: ClientRegistry): string {
  const clientId = typeof interaction.params.client_id === 'string' ? interaction.params.client_id : '';
  return registry.get(clientId)?.client_name ?? clientId;
}

async function details(provider: Provider, req: IncomingMessage, res: ServerResponse, uid: string): Promise<Interaction | undefined> {
  try {
    const interaction = await provider.interactionDetails(req, res);
    return interaction.uid === uid ? interaction : undefined;
  } catch (error) {
    if (error instanceof errors.SessionNotFound) return undefined;
    throw error;
  }
}

function expired(res: ServerResponse): void {
  sendHtml(
    res,
    400,
    errorPage(
      'Session expirée',
      'session_not_found',
      'Cette demande de connexion a expiré ou a déjà été utilisée. Revenez sur le site du service pour recommencer.',
    ),
  );
}

/** No consent screen: grant what the consent prompt says is missing, then go on. */
async function autoConsent(provider: Provider, req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
  const accountId = interaction.session?.accountId;
  const clientId = interaction.params.client_id;
  if (typeof accountId !== 'string' || typeof clientId !== 'string') throw new HttpError(400, 'invalid_request', 'no authenticated session for this interaction');
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missing = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope);
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * The identity picker (`GET /api/v2/interaction/:uid`), its login (`POST …/login`, either one
 * identity's button or the login/password form) and "Annuler" (`POST …/abort`, back to the
 * client with `error=access_denied`). Returns false when the path is not an interaction route.
 */
export async function handleInteraction(req: IncomingMessage, res: ServerResponse, context: InteractionContext): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const match = INTERACTION_PATH.exec(path);
  if (!match) return false;
  const uid = match[1] ?? '';
  const action = match[2];
  const expectedMethod = action ? 'POST' : 'GET';
  if (req.method !== expectedMethod) {
    res.setHeader('Allow', expectedMethod);
    sendHtml(res, 405, errorPage('Méthode non autorisée', 'method_not_allowed', undefined));
    return true;
  }

  const { provider, registry } = context;
  const interaction = await details(provider, req, res, uid);
  if (!interaction) {
    expired(res);
    return true;
  }
  const actionBase = `${MOUNT_PATH}/interaction/${uid}`;
  const clientName = clientNameOf(interaction, registry);

  if (action === undefined) {
    if (interaction.prompt.name !== 'login') {
      await autoConsent(provider, req, res, interaction);
      return true;
    }
    sendHtml(res, 200, pickerPage({ uid, actionBase, clientName, identities: DEMO_IDENTITIES }));
    return true;
  }

  if (action === 'abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: ABORT_DESCRIPTION }, { mergeWithLastSubmission: false });
    return true;
  }

  const fields = await readFields(req, FORM_LIMIT);
  const login = fields.get('login') ?? '';
  const password = fields.get('password');
  const identity = findIdentity(login);
  const refused = identity === undefined || (password !== undefined && password !== identity.password);
  if (refused) {
    const message = password === undefined ? 'Cette identité de démonstration n’existe pas.' : 'Identifiant ou mot de passe incorrect.';
    sendHtml(res, 400, pickerPage({ uid, actionBase, clientName, identities: DEMO_IDENTITIES, error: message, login }));
    return true;
  }
  if (interaction.prompt.name !== 'login') {
    await autoConsent(provider, req, res, interaction);
    return true;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: identity.login, acr: ACR, amr: ['pwd'], remember: false } },
    { mergeWithLastSubmission: false },
  );
  return true;
}
