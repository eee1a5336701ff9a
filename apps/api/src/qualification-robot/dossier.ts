import { escapeHtml } from '@fcplat/common';
import {
  DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL,
  FRANCECONNECT_ENVIRONMENT_LABELS,
  ITEM_STATUS_LABELS,
  QUALIFICATION_MODE_LABELS,
  type FranceConnectEnvironment,
} from '@fcplat/domain';
import { frenchDateTime } from '../mail/mail-format.js';
import type { ChecklistView, RobotRunDetailView } from '@fcplat/contract';

/** Everything the dossier shows; assembled by the service from records the caller may read. No secret is ever part of it. */
export interface DossierInput {
  readonly generatedAt: Date;
  readonly tenant: { readonly name: string; readonly siret: string; readonly slug: string };
  readonly portalUrl: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  /** client_id per environment (public identifiers; the secrets are not read). */
  readonly clientIds: Partial<Record<FranceConnectEnvironment, string>>;
  readonly liveEnvironment: FranceConnectEnvironment | null;
  readonly dsFileNumber: string | null;
  readonly checklist: ChecklistView;
  readonly robot: RobotRunDetailView | null;
  /** PNG bytes of the robot run's screenshots, by name (embedded, so the file stands alone). */
  readonly screenshots: ReadonlyMap<string, { readonly label: string; readonly png: Buffer }>;
}


/** One evidence value, readable: numbers and strings as they are, anything else as compact JSON, bounded. */
function evidenceValue(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

const STYLE = `
  body { font: 11pt/1.45 system-ui, "Marianne", Arial, sans-serif; color: #161616; margin: 2rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #000091; padding-bottom: .25rem; }
  h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border: 1px solid #ddd; }
  th { background: #f6f6f6; width: 35%; } code { font: 10pt ui-monospace, monospace; word-break: break-all; }
  .verdict { font-weight: 700; } .passed { color: #18753c; } .failed { color: #ce0500; } .not_verifiable, .todo { color: #b34000; } .not_applicable { color: #666; }
  .item { break-inside: avoid; border: 1px solid #ddd; padding: .5rem 1rem 1rem; margin: 1rem 0; } figure { margin: .5rem 0; } img { max-width: 100%; border: 1px solid #ccc; }
  .muted { color: #555; } ul { margin: .25rem 0; }`;

/**
 * The qualification dossier of one tenant as one self-contained HTML page (French): the answers
 * to copy into FranceConnect's Démarches Simplifiées form (identity, SIRET, portal URLs, client_id
 * per environment, redirect and logout URIs), then every prerequisite with the checklist's status,
 * the robot's verdict, what it measured and its screenshots (embedded as data URIs). The PDF is
 * this page printed by Chromium.
 */
export function renderDossierHtml(input: DossierInput): string {
  const e = escapeHtml;
  const robotItems = new Map((input.robot?.items ?? []).map((i) => [i.id, i]));
  const modes = [input.checklist.modes.connexion ? QUALIFICATION_MODE_LABELS.C : null, input.checklist.modes.dataRetrieval ? QUALIFICATION_MODE_LABELS.D : null].filter(Boolean).join(' ; ');
  const clientRows = (Object.keys(FRANCECONNECT_ENVIRONMENT_LABELS) as FranceConnectEnvironment[])
    .filter((env) => input.clientIds[env] !== undefined)
    .map((env) => `<tr><th>client_id — ${e(FRANCECONNECT_ENVIRONMENT_LABELS[env])}${env === input.liveEnvironment ? ' (en service)' : ''}</th><td><code>${e(input.clientIds[env] ?? '')}</code></td></tr>`)
    .join('\n');
  const answers = `
    <table>
      <tr><th>Organisme</th><td>${e(input.tenant.name)}</td></tr>
      <tr><th>SIRET</th><td><code>${e(input.tenant.siret)}</code></td></tr>
      <tr><th>Usages de FranceConnect</th><td>${e(modes || 'aucun')}</td></tr>
      <tr><th>Adresse du service (portail)</th><td><a href="${e(input.portalUrl)}"><code>${e(input.portalUrl)}</code></a></td></tr>
      <tr><th>URL de redirection (redirect_uri)</th><td><code>${e(input.redirectUri)}</code></td></tr>
      <tr><th>URL de déconnexion (post_logout_redirect_uri)</th><td><code>${e(input.postLogoutRedirectUri)}</code></td></tr>
      ${clientRows || '<tr><th>client_id</th><td>Aucun client FranceConnect enregistré.</td></tr>'}
      <tr><th>Numéro de dossier Démarches Simplifiées</th><td>${input.dsFileNumber ? e(input.dsFileNumber) : '<span class="muted">à compléter après dépôt</span>'}</td></tr>
    </table>
    <p class="muted">Formulaire : <a href="${e(DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL)}">${e(DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL)}</a></p>`;

  const items = input.checklist.items
    .map((item) => {
      const robot = robotItems.get(item.id);
      const evidence = robot
        ? Object.entries(robot.evidence)
            .map(([key, value]) => `<tr><th><code>${e(key)}</code></th><td><code>${e(evidenceValue(value))}</code></td></tr>`)
            .join('')
        : '';
      const figures = robot
        ? robot.screenshots
            .map((shot) => {
              const png = input.screenshots.get(shot.name);
              return png ? `<figure><img alt="${e(png.label)}" src="data:image/png;base64,${png.png.toString('base64')}"><figcaption>${e(png.label)}</figcaption></figure>` : '';
            })
            .join('')
        : '';
      const person = item.source === 'manual' && item.status !== 'todo' ? ` (attesté par ${e(item.checkedBy?.displayName ?? 'une personne')})` : '';
      return `
      <section class="item" id="${e(item.id)}">
        <h3>${e(item.id)} — ${e(item.title)}</h3>
        <p class="muted">${e(item.description)}</p>
        <p>Recette : <span class="verdict ${e(item.status)}">${e(ITEM_STATUS_LABELS[item.status])}</span>${person}${item.evidence.text ? ` — ${e(item.evidence.text)}` : ''}</p>
        ${
          robot
            ? `<p>Robot : <span class="verdict ${e(robot.verdict)}">${e(robot.verdictLabel)}</span> — ${e(robot.summary)}${robot.environment ? ` <span class="muted">(environnement ${e(FRANCECONNECT_ENVIRONMENT_LABELS[robot.environment])})</span>` : ''}</p>
               ${robot.findings.length > 0 ? `<ul>${robot.findings.map((f) => `<li>${e(f)}</li>`).join('')}</ul>` : ''}
               ${evidence ? `<table>${evidence}</table>` : ''}${figures}`
            : item.robotCheckable
              ? '<p class="muted">Robot : pas encore vérifié.</p>'
              : '<p class="muted">Vérification par une personne uniquement.</p>'
        }
      </section>`;
    })
    .join('\n');

  const run = input.robot
    ? `<p>Dernière vérification du robot : ${e(frenchDateTime(new Date(input.robot.finishedAt ?? input.robot.requestedAt)))}, portail <code>${e(input.robot.portalUrl ?? '')}</code>${
        input.robot.counts ? ` — ${input.robot.counts.passed} conforme(s), ${input.robot.counts.failed} non conforme(s), ${input.robot.counts.not_verifiable} non vérifiable(s)` : ''
      }.</p>`
    : '<p>Le robot n’a encore vérifié aucun prérequis de ce client.</p>';

  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Dossier de qualification FranceConnect — ${e(input.tenant.name)}</title><style>${STYLE}</style></head>
<body>
  <h1>Dossier de qualification FranceConnect</h1>
  <p><strong>${e(input.tenant.name)}</strong> — SIRET <code>${e(input.tenant.siret)}</code><br><span class="muted">Établi le ${e(frenchDateTime(input.generatedAt))}</span></p>
  <h2>Réponses à recopier dans le formulaire</h2>
  ${answers}
  <h2>Prérequis (${input.checklist.summary.total})</h2>
  ${run}
  <p>Recette : ${input.checklist.summary.counts.passed} conforme(s), ${input.checklist.summary.counts.failed} non conforme(s), ${input.checklist.summary.counts.todo} à vérifier, ${input.checklist.summary.counts.not_applicable} sans objet.</p>
  ${items}
</body>
</html>`;
}
