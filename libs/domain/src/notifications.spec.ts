import {
  commentExcerpt,
  describeNotification,
  NOTIFICATION_KIND_INFO,
  NOTIFICATION_KINDS,
  notificationKindsFor,
  tokenExpiryThreshold,
} from './notifications.js';

describe('notifications (domain)', () => {
  it('never lets a client administrator receive a staff-internal kind', () => {
    const client = notificationKindsFor('client');
    expect(client).not.toContain('comment_internal');
    expect(client).not.toContain('robot_checks_failed');
    expect(client).toContain('comment_client');
    expect(notificationKindsFor('staff')).not.toContain('batch_finished');
    for (const kind of NOTIFICATION_KINDS) expect(NOTIFICATION_KIND_INFO[kind].audiences.length).toBeGreaterThan(0);
  });

  it('warns about a token at 30, 14 then 3 days, and not before nor after its expiry', () => {
    expect(tokenExpiryThreshold('2026-02-10', '2026-01-01')).toBeNull(); // 40 days
    expect(tokenExpiryThreshold('2026-01-31', '2026-01-01')).toBe(30);
    expect(tokenExpiryThreshold('2026-01-16', '2026-01-01')).toBe(30); // 15 days
    expect(tokenExpiryThreshold('2026-01-15', '2026-01-01')).toBe(14);
    expect(tokenExpiryThreshold('2026-01-04', '2026-01-01')).toBe(3);
    expect(tokenExpiryThreshold('2026-01-01', '2026-01-01')).toBe(3);
    expect(tokenExpiryThreshold('2025-12-31', '2026-01-01')).toBeNull();
  });

  it('words each event for its reader: the client’s name for staff, « votre dossier » for the client', () => {
    const event = { kind: 'case_overdue', data: { stage: 'created', deadline: '2026-01-15', waitingOn: 'client' } } as const;
    const staff = describeNotification(event, { tenantId: 't1', tenantName: 'Commune de Test', audience: 'staff' });
    expect(staff).toEqual({
      title: 'Commune de Test : délai dépassé (« Client créé »)',
      body: 'Le délai de l’étape « Client créé » pour le dossier de Commune de Test était le 15/01/2026 (jours ouvrés). En attente : Le client.',
      link: 'clients/t1/suivi',
    });
    const client = describeNotification(event, { tenantId: 't1', tenantName: 'Commune de Test', audience: 'client' });
    expect(client.title).toBe('Votre dossier : délai dépassé (« Client créé »)');
    expect(client.body).toContain('En attente : Votre organisme.');
    const batch = describeNotification(
      { kind: 'batch_finished', data: { batchId: 'b', fileName: 'rentree.csv', total: 1, succeeded: 1, failed: 0 } },
      { tenantId: 't1', tenantName: null, audience: 'client' },
    );
    expect(batch.body).toBe('Le dossier du lot « rentree.csv » a été traité : 1 réussi, 0 en échec. Les résultats sont à télécharger dans la console.');
  });

  it('keeps a comment’s first 280 characters on one line', () => {
    expect(commentExcerpt('  Bonjour,\n\nmerci.  ')).toBe('Bonjour, merci.');
    const long = commentExcerpt('a'.repeat(400));
    expect(long).toHaveLength(280);
    expect(long.endsWith('…')).toBe(true);
  });
});
