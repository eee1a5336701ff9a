import { AUDIT_ACTION_LABELS, AUDIT_FIELDS, AUDIT_KINDS, auditActionLabel, describeAuditChanges, type AuditAction } from './audit-journal.js';

/** A raw field name: camelCase or snake_case code (what the journal must never show). */
const RAW = /\b[a-z]+(?:[A-Z][a-z]+)+\b|\b[a-z]+_[a-z_]+\b/;

describe('the journal in French', () => {
  it('labels every action in French, and every action belongs to a kind of the filter', () => {
    for (const [action, label] of Object.entries(AUDIT_ACTION_LABELS)) {
      expect({ action, raw: RAW.test(label) }).toEqual({ action, raw: false });
      expect({ action, kind: AUDIT_KINDS.some((k) => action.startsWith(k.prefix)) }).toEqual({ action, kind: true });
    }
    expect(auditActionLabel('test.unknown')).toBe('Autre action');
  });

  it('labels every change key in French (client_id and client_secret, named so by FranceConnect, aside)', () => {
    for (const [key, field] of Object.entries(AUDIT_FIELDS)) {
      const label = field.label.replace(/client_id|client_secret/, '');
      expect({ key, raw: RAW.test(label) }).toEqual({ key, raw: false });
    }
  });

  it('says what changed with the values people know, before → after', () => {
    expect(describeAuditChanges({ stage: { before: 'created', after: 'habilitations_requested' }, kind: 'advance' })).toEqual([
      { label: 'Étape', text: 'Client créé → Habilitations demandées' },
      { label: 'Nature du changement', text: 'Étape suivante' },
    ]);
    expect(describeAuditChanges({ product: 'franceconnect', environment: { before: null, after: 'production' }, reason: 'Mise en service' })).toEqual([
      { label: 'Produit', text: 'FranceConnect' },
      { label: 'Environnement', text: 'Production' },
      { label: 'Motif', text: 'Mise en service' },
    ]);
    expect(describeAuditChanges({ environment: 'sandbox', expiresOn: '2027-01-31', tokenReplaced: true })).toEqual([
      { label: 'Environnement', text: expect.stringMatching(/^Bac à sable/) },
      { label: 'Expiration', text: '31/01/2027' },
      { label: 'Jeton', text: 'remplacé (jamais affiché)' },
    ]);
    expect(describeAuditChanges({ bodyLength: { before: null, after: 37 }, visibility: { before: null, after: 'internal' } })).toEqual([
      { label: 'Longueur du commentaire (caractères)', text: '37' },
      { label: 'Visibilité', text: 'Note interne' },
    ]);
    expect(describeAuditChanges({ scopes: ['cnaf_quotient_familial', 'given_name'], state: { before: 'submitted', after: 'validated' } })).toEqual([
      { label: 'Données', text: expect.stringContaining('Prénoms') },
      { label: 'État', text: 'Soumise, en cours d’instruction → Validée' },
    ]);
  });

  it('never shows a key it does not know: « Autre détail »', () => {
    expect(describeAuditChanges({ someNewField: { before: 1, after: 2 } })).toEqual([{ label: 'Autre détail', text: '1 → 2' }]);
  });

  it('is the type of appendAudit’s action: an action without a French label does not compile', () => {
    const known: AuditAction = 'onboarding.comment_added';
    // @ts-expect-error not in the journal's catalogue
    const unknown: AuditAction = 'tenant.teleported';
    expect([known, unknown]).toHaveLength(2);
  });
});
