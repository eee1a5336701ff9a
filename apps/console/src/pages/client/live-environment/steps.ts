import type { LiveCheckStep, LiveCheckView } from '@fcplat/contract';

export const STEP_LABELS: Readonly<Record<LiveCheckStep, string>> = {
  credentials: 'Identifiants enregistrés',
  discovery: 'Découverte du fournisseur (openid-configuration)',
  jwks: 'Clés publiques de signature (JWKS)',
  client_id: 'client_id connu, avec l’URL de redirection du portail',
  client_secret: 'client_secret accepté',
};

export const STEP_STATUS: Readonly<Record<LiveCheckView['steps'][number]['status'], { icon: string; text: string }>> = {
  ok: { icon: '✓', text: 'réussi' },
  failed: { icon: '✗', text: 'échec' },
  skipped: { icon: '–', text: 'non vérifié' },
};
