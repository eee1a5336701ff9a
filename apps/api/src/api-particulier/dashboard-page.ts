/**
 * The staff queue dashboard as a plain server-rendered page: no script (it refreshes itself every
 * 10 s with a meta tag), so it works under the API's strict CSP and needs no front-end build.
 * Everything printed is escaped; it shows counts, tenants' names and error codes, never citizens' data.
 */
import type { QueueDashboard } from './api-particulier.service.js';

const STATUS_LABELS: Readonly<Record<string, string>> = {
  queued: 'En attente (file équitable)',
  dispatched: 'Confiés à la file',
  running: 'En cours',
  retrying: 'En attente de nouvel essai',
  succeeded: 'Réussis',
  failed: 'En échec',
};

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const number = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : new Intl.NumberFormat('fr-FR').format(n));

function table(caption: string, headers: readonly string[], rows: readonly (readonly unknown[])[], empty: string): string {
  if (rows.length === 0) return `<section><h2>${escape(caption)}</h2><p>${escape(empty)}</p></section>`;
  return `<section><h2>${escape(caption)}</h2><table><thead><tr>${headers.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escape(c)}</th>` : `<td>${escape(c)}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table></section>`;
}

export function renderDashboard(data: QueueDashboard): string {
  const counts = data.queue.counts ?? {};
  const statuses = Object.keys(STATUS_LABELS).map((s) => [STATUS_LABELS[s], number(data.calls[s] ?? 0)] as const);
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>Files de traitement — API Particulier</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1e1e1e; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; min-width: 24rem; } th, td { border: 1px solid #bbb; padding: .35rem .7rem; text-align: left; }
thead th { background: #eef; } .state { font-weight: bold; } .ok { color: #18753c; } .ko { color: #b3261e; }
a { color: #1f4ea8; } a:focus { outline: 3px solid #1f4ea8; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>Files de traitement — API Particulier</h1>
<p>État au ${escape(new Date(data.generatedAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }))} (actualisé toutes les 10 secondes). <a href="/console/">Retour à la console</a></p>
<p class="state ${data.queue.up ? 'ok' : 'ko'}">File ${escape(data.queue.backend)} : ${data.queue.up ? `disponible (${number(data.queue.latencyMs)} ms)` : 'INDISPONIBLE'}</p>
${table('Appels par état', ['État', 'Nombre'], statuses, '')}
${table('File BullMQ « système »', ['État', 'Tâches'], Object.entries(counts).map(([k, v]) => [k, number(v)]), 'Aucune information.')}
${table(
  'Dernière heure',
  ['Mesure', 'Valeur'],
  [
    ['Appels terminés', number(data.lastHour.calls)],
    ['En échec', number(data.lastHour.failed)],
    ['Réponses 429 reçues', number(data.lastHour.rateLimited)],
    ['Latence médiane (ms)', number(data.lastHour.latencyP50Ms)],
    ['Latence p95 (ms)', number(data.lastHour.latencyP95Ms)],
  ],
  '',
)}
<p>Limite par IP : ${number(data.ipCeiling.configuredPerMinute)} appels par minute configurés${
  data.ipCeiling.learntPerMinute === null
    ? ''
    : ` ; <strong>${number(data.ipCeiling.learntPerMinute)} appliqués</strong>, appris des réponses d’API Particulier (plus bas que la configuration : corrigez API_PARTICULIER_IP_LIMIT_PER_MINUTE)`
}.</p>
${table('Pauses en cours (429 ou limite atteinte)', ['Portée', 'Jusqu’à', 'Motif'], data.pauses.map((p) => [p.bucket, new Date(p.until).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' }), p.reason ?? '']), 'Aucune pause : les appels partent au rythme autorisé.')}
${table('Organismes avec des appels en attente', ['Organisme', 'En attente', 'En cours'], data.tenantsWithBacklog.map((t) => [t.name, number(t.queued), number(t.inProgress)]), 'Aucun appel en attente.')}
${table('Échecs des dernières 24 heures', ['Code', 'Signification', 'Nombre'], data.failures24h.map((f) => [f.errorCode ?? '—', f.label ?? '', number(f.count)]), 'Aucun échec.')}
</main>
</body>
</html>`;
}
