import { AppError } from '@fcplat/common';
import {
  MAIN_PATH,
  ONBOARDING_STAGES,
  ONBOARDING_STAGE_LABELS,
  STAGE_TRANSITIONS,
  assertTransition,
  canTransition,
  isOnboardingStage,
  isValidDsFileNumber,
  nextMainStage,
  requiredHabilitations,
  stageGuards,
  type OnboardingSnapshot,
  moveLabel,
  type OnboardingStage,
  type TransitionCheck,
  type TransitionContext,
} from './onboarding.js';
import { QUALIFICATION_ITEM_IDS, type ChecklistEntry } from './qualification.js';

const staff: TransitionContext = { actor: 'staff' };
const clientAdmin: TransitionContext = { actor: 'client_admin' };

const ALL_PASSED: ChecklistEntry[] = QUALIFICATION_ITEM_IDS.map((id) => ({ id, status: 'passed', source: 'robot' }));

/** A case where every guard holds; tests break one thing at a time. */
function makeSnapshot(overrides: Partial<OnboardingSnapshot> = {}): OnboardingSnapshot {
  return {
    stage: 'created',
    modes: { connexion: true, dataRetrieval: true },
    habilitations: { franceconnect: 'validated', api_particulier: 'validated' },
    credentials: {
      franceconnect: { sandbox: true, production: true },
      apiParticulier: { sandbox: true, production: true },
    },
    checklist: ALL_PASSED,
    dsFileNumber: '12345678',
    editorQualified: false,
    ...overrides,
  };
}

function codes(check: TransitionCheck): string[] {
  return check.ok ? [] : check.reasons.map((r) => r.code);
}

describe('stages', () => {
  it('lists the 11 stages in order with French labels', () => {
    expect(ONBOARDING_STAGES).toEqual([
      'created',
      'habilitations_requested',
      'habilitations_validated',
      'integration_credentials_received',
      'internal_check',
      'qualification_requested',
      'changes_requested',
      'qualified',
      'production_requested',
      'production_credentials_received',
      'live',
    ]);
    expect(ONBOARDING_STAGE_LABELS.created).toBe('Client créé');
    expect(ONBOARDING_STAGE_LABELS.internal_check).toBe('Recette interne');
    expect(ONBOARDING_STAGE_LABELS.live).toBe('En production');
    expect(MAIN_PATH).not.toContain('changes_requested');
    expect(isOnboardingStage('live')).toBe(true);
    expect(isOnboardingStage('done')).toBe(false);
  });

  it('knows the next normal stage', () => {
    expect(nextMainStage('created')).toBe('habilitations_requested');
    expect(nextMainStage('qualification_requested')).toBe('qualified');
    expect(nextMainStage('changes_requested')).toBe('qualification_requested');
    expect(nextMainStage('live')).toBeNull();
  });

  it('requires API Particulier only for data retrieval', () => {
    expect(requiredHabilitations({ connexion: true, dataRetrieval: false })).toEqual(['franceconnect']);
    expect(requiredHabilitations({ connexion: false, dataRetrieval: true })).toEqual(['franceconnect', 'api_particulier']);
  });

  it('validates Démarches Simplifiées file numbers', () => {
    expect(isValidDsFileNumber('12345678')).toBe(true);
    expect(isValidDsFileNumber('DS-123')).toBe(false);
    expect(isValidDsFileNumber(' 123')).toBe(false);
    expect(isValidDsFileNumber('')).toBe(false);
  });
});

describe('canTransition: the happy path', () => {
  it('walks the whole main path with every guard satisfied', () => {
    let stage: OnboardingStage = 'created';
    const visited: OnboardingStage[] = [stage];
    for (let next = nextMainStage(stage); next; next = nextMainStage(stage)) {
      expect(canTransition(makeSnapshot({ stage }), next, staff)).toEqual({ ok: true, kind: 'advance', passedThrough: [] });
      stage = next;
      visited.push(stage);
    }
    expect(visited).toEqual(MAIN_PATH);
  });

  it('goes through the changes loop', () => {
    expect(canTransition(makeSnapshot({ stage: 'qualification_requested' }), 'changes_requested', staff).ok).toBe(true);
    expect(canTransition(makeSnapshot({ stage: 'changes_requested' }), 'internal_check', staff)).toMatchObject({
      ok: true,
      kind: 'advance',
    });
    expect(canTransition(makeSnapshot({ stage: 'changes_requested' }), 'qualification_requested', staff)).toMatchObject({
      ok: true,
      kind: 'advance',
    });
  });

  it('has edges only towards known stages', () => {
    for (const targets of Object.values(STAGE_TRANSITIONS)) {
      for (const target of Object.keys(targets)) expect(isOnboardingStage(target)).toBe(true);
    }
  });
});

describe('canTransition: structural refusals', () => {
  it('refuses staying put', () => {
    expect(codes(canTransition(makeSnapshot({ stage: 'qualified' }), 'qualified', staff))).toEqual(['same_stage']);
  });

  it('refuses entering the changes loop from elsewhere or leaving it forward', () => {
    expect(codes(canTransition(makeSnapshot({ stage: 'internal_check' }), 'changes_requested', staff))).toEqual([
      'transition_not_allowed',
    ]);
    expect(codes(canTransition(makeSnapshot({ stage: 'changes_requested' }), 'qualified', staff))).toEqual([
      'transition_not_allowed',
    ]);
  });

  it('checks who acts', () => {
    expect(canTransition(makeSnapshot({ stage: 'created' }), 'habilitations_requested', clientAdmin).ok).toBe(true);
    expect(canTransition(makeSnapshot({ stage: 'qualified' }), 'production_requested', clientAdmin).ok).toBe(true);
    expect(canTransition(makeSnapshot({ stage: 'habilitations_requested' }), 'habilitations_validated', { actor: 'system' }).ok).toBe(true);
    const check = canTransition(makeSnapshot({ stage: 'qualification_requested' }), 'qualified', clientAdmin);
    expect(check).toEqual({
      ok: false,
      reasons: [{ code: 'actor_not_allowed', message: 'Le passage à « Qualifié par FranceConnect » est réservé à l’équipe de l’éditeur.' }],
    });
    expect(codes(canTransition(makeSnapshot({ stage: 'production_credentials_received' }), 'live', { actor: 'system' }))).toEqual([
      'actor_not_allowed',
    ]);
  });
});

describe('canTransition: guards', () => {
  it('habilitations_requested needs the requests submitted on DataPass', () => {
    const snapshot = makeSnapshot({ habilitations: { franceconnect: 'draft' } });
    const check = canTransition(snapshot, 'habilitations_requested', staff);
    expect(check).toEqual({
      ok: false,
      reasons: [
        {
          code: 'franceconnect_habilitation_not_filed',
          message: 'La demande d’habilitation FranceConnect n’a pas été soumise sur DataPass (état actuel : brouillon).',
        },
        {
          code: 'api_particulier_habilitation_not_filed',
          message: 'La demande d’habilitation API Particulier n’a pas été soumise sur DataPass (aucune demande enregistrée).',
        },
      ],
    });
    const filed = makeSnapshot({ habilitations: { franceconnect: 'submitted', api_particulier: 'changes_requested' } });
    expect(canTransition(filed, 'habilitations_requested', clientAdmin).ok).toBe(true);
  });

  it('needs at least one FranceConnect use', () => {
    const snapshot = makeSnapshot({ modes: { connexion: false, dataRetrieval: false } });
    expect(codes(canTransition(snapshot, 'habilitations_requested', staff))).toEqual(['modes_missing']);
  });

  it('habilitations_validated needs FranceConnect validated, and API Particulier for data retrieval', () => {
    const stage = 'habilitations_requested';
    expect(
      codes(canTransition(makeSnapshot({ stage, habilitations: { franceconnect: 'submitted', api_particulier: 'validated' } }), 'habilitations_validated', staff)),
    ).toEqual(['franceconnect_habilitation_not_validated']);
    expect(
      codes(canTransition(makeSnapshot({ stage, habilitations: { franceconnect: 'validated', api_particulier: 'refused' } }), 'habilitations_validated', staff)),
    ).toEqual(['api_particulier_habilitation_not_validated']);
    const loginOnly = makeSnapshot({
      stage,
      modes: { connexion: true, dataRetrieval: false },
      habilitations: { franceconnect: 'validated' },
    });
    expect(canTransition(loginOnly, 'habilitations_validated', staff).ok).toBe(true);
  });

  it('integration_credentials_received needs sandbox FranceConnect credentials', () => {
    const snapshot = makeSnapshot({
      stage: 'habilitations_validated',
      credentials: { franceconnect: { production: true }, apiParticulier: {} },
    });
    expect(codes(canTransition(snapshot, 'integration_credentials_received', { actor: 'system' }))).toEqual([
      'sandbox_credentials_missing',
    ]);
  });

  describe('qualification_requested', () => {
    const stage = 'internal_check';

    it('is refused while an item failed, listing the items', () => {
      const checklist = ALL_PASSED.map((e) =>
        e.id === 'FC-05' || e.id === 'FC-13' ? { ...e, status: 'failed' as const } : e,
      );
      const check = canTransition(makeSnapshot({ stage, checklist }), 'qualification_requested', staff);
      expect(check).toEqual({
        ok: false,
        reasons: [
          {
            code: 'checklist_failed',
            message: 'Recette : 2 prérequis non conforme(s) à corriger (FC-05, FC-13).',
            itemIds: ['FC-05', 'FC-13'],
          },
        ],
      });
    });

    it('is refused while items are still to check (missing entries count as todo)', () => {
      const checklist = ALL_PASSED.filter((e) => e.id !== 'FC-22');
      expect(canTransition(makeSnapshot({ stage, checklist }), 'qualification_requested', staff)).toMatchObject({
        ok: false,
        reasons: [{ code: 'checklist_incomplete', itemIds: ['FC-22'] }],
      });
    });

    it('ignores items that do not apply to the modes', () => {
      const checklist = ALL_PASSED.filter((e) => e.id !== 'FC-22').concat([{ id: 'FC-22', status: 'failed', source: 'manual' }]);
      const dataOnly = makeSnapshot({ stage, checklist, modes: { connexion: false, dataRetrieval: true } });
      expect(canTransition(dataOnly, 'qualification_requested', staff).ok).toBe(true);
    });

    it('refuses not_applicable on a mandatory item but accepts it on a conditional one', () => {
      const withNa = (id: string) => ALL_PASSED.map((e) => (e.id === id ? { ...e, status: 'not_applicable' as const, source: 'manual' as const } : e));
      expect(codes(canTransition(makeSnapshot({ stage, checklist: withNa('FC-19') }), 'qualification_requested', staff))).toEqual([
        'checklist_incomplete',
      ]);
      expect(canTransition(makeSnapshot({ stage, checklist: withNa('FC-12') }), 'qualification_requested', staff).ok).toBe(true);
    });

    it('is refused while the robot’s last completed run has failing items, even where a person said « conforme »', () => {
      const check = canTransition(makeSnapshot({ stage, robotFailures: ['FC-01', 'FC-06'] }), 'qualification_requested', staff);
      expect(check).toEqual({
        ok: false,
        reasons: [
          {
            code: 'robot_failed',
            message: 'Robot de qualification : 2 prérequis non conforme(s) lors de la dernière vérification (FC-01, FC-06). Corrigez puis relancez la vérification.',
            itemIds: ['FC-01', 'FC-06'],
          },
        ],
      });
      expect(canTransition(makeSnapshot({ stage, robotFailures: [] }), 'qualification_requested', staff).ok).toBe(true);
      // Only that stage: the robot's failures do not hold back other moves.
      expect(canTransition(makeSnapshot({ stage: 'qualified', robotFailures: ['FC-01'] }), 'production_requested', staff).ok).toBe(true);
    });

    it('needs a valid Démarches Simplifiées file number', () => {
      expect(codes(canTransition(makeSnapshot({ stage, dsFileNumber: null }), 'qualification_requested', staff))).toEqual([
        'ds_file_number_missing',
      ]);
      expect(codes(canTransition(makeSnapshot({ stage, dsFileNumber: '  ' }), 'qualification_requested', staff))).toEqual([
        'ds_file_number_missing',
      ]);
      expect(codes(canTransition(makeSnapshot({ stage, dsFileNumber: 'n°123' }), 'qualification_requested', staff))).toEqual([
        'ds_file_number_invalid',
      ]);
    });

    it('reports every unmet guard at once', () => {
      const snapshot = makeSnapshot({
        stage,
        dsFileNumber: undefined,
        checklist: [{ id: 'FC-01', status: 'failed', source: 'robot' }],
        credentials: { franceconnect: {}, apiParticulier: {} },
      });
      expect(codes(canTransition(snapshot, 'qualification_requested', staff))).toEqual([
        'sandbox_credentials_missing',
        'checklist_failed',
        'checklist_incomplete',
        'ds_file_number_missing',
      ]);
    });

    it('applies the same guards when resubmitting after changes', () => {
      const checklist = ALL_PASSED.map((e) => (e.id === 'FC-02' ? { ...e, status: 'failed' as const } : e));
      expect(codes(canTransition(makeSnapshot({ stage: 'changes_requested', checklist }), 'qualification_requested', staff))).toEqual([
        'checklist_failed',
      ]);
    });
  });

  it('production_credentials_received needs production FranceConnect credentials', () => {
    const snapshot = makeSnapshot({
      stage: 'production_requested',
      credentials: { franceconnect: { sandbox: true, production: false }, apiParticulier: { production: true } },
    });
    expect(codes(canTransition(snapshot, 'production_credentials_received', staff))).toEqual(['production_credentials_missing']);
  });

  describe('live', () => {
    const stage = 'production_credentials_received';

    it('needs production credentials, and for data retrieval a validated API Particulier habilitation and token', () => {
      const snapshot = makeSnapshot({
        stage,
        habilitations: { franceconnect: 'validated', api_particulier: 'revoked' },
        credentials: { franceconnect: { sandbox: true }, apiParticulier: { sandbox: true } },
      });
      expect(codes(canTransition(snapshot, 'live', staff))).toEqual([
        'api_particulier_habilitation_not_validated',
        'production_credentials_missing',
        'api_particulier_token_missing',
      ]);
    });

    it('does not need API Particulier for a login-only service', () => {
      const snapshot = makeSnapshot({
        stage,
        modes: { connexion: true, dataRetrieval: false },
        habilitations: { franceconnect: 'validated' },
        credentials: { franceconnect: { sandbox: true, production: true }, apiParticulier: {} },
      });
      expect(canTransition(snapshot, 'live', staff).ok).toBe(true);
    });

    it('is refused when the FranceConnect habilitation was revoked meanwhile', () => {
      const snapshot = makeSnapshot({ stage, habilitations: { franceconnect: 'revoked', api_particulier: 'validated' } });
      expect(codes(canTransition(snapshot, 'live', staff))).toEqual(['franceconnect_habilitation_not_validated']);
    });
  });

  it('stageGuards exposes the guards of a stage', () => {
    expect(stageGuards(makeSnapshot(), 'live')).toEqual([]);
    expect(stageGuards(makeSnapshot({ credentials: { franceconnect: {}, apiParticulier: {} } }), 'live').map((r) => r.code)).toEqual([
      'production_credentials_missing',
      'api_particulier_token_missing',
    ]);
    expect(stageGuards(makeSnapshot({ habilitations: {} }), 'changes_requested')).toEqual([]);
  });
});

describe('canTransition: skips', () => {
  it('lets staff record a client that arrives with validated habilitations', () => {
    expect(canTransition(makeSnapshot(), 'habilitations_validated', staff)).toEqual({
      ok: true,
      kind: 'skip',
      passedThrough: ['habilitations_requested'],
    });
    expect(canTransition(makeSnapshot(), 'integration_credentials_received', staff)).toEqual({
      ok: true,
      kind: 'skip',
      passedThrough: ['habilitations_requested', 'habilitations_validated'],
    });
  });

  it('refuses a skip whose intermediate stages could not have been entered', () => {
    const snapshot = makeSnapshot({ habilitations: { franceconnect: 'submitted', api_particulier: 'validated' } });
    expect(codes(canTransition(snapshot, 'habilitations_validated', staff))).toEqual(['franceconnect_habilitation_not_validated']);
  });

  it('reserves skips to staff', () => {
    expect(codes(canTransition(makeSnapshot(), 'habilitations_validated', clientAdmin))).toEqual(['actor_not_allowed']);
  });

  it('skips the qualification stages only for an editor already qualified', () => {
    const stage = 'integration_credentials_received';
    expect(codes(canTransition(makeSnapshot({ stage }), 'production_requested', staff))).toEqual(['editor_not_qualified']);
    expect(codes(canTransition(makeSnapshot({ stage: 'internal_check' }), 'qualified', staff))).toEqual(['editor_not_qualified']);
    expect(canTransition(makeSnapshot({ stage, editorQualified: true, dsFileNumber: null, checklist: [] }), 'production_requested', staff)).toEqual({
      ok: true,
      kind: 'skip',
      passedThrough: ['internal_check', 'qualification_requested', 'qualified'],
    });
  });

  it('still checks the target guards when skipping', () => {
    const snapshot = makeSnapshot({
      stage: 'qualified',
      credentials: { franceconnect: { sandbox: true }, apiParticulier: {} },
    });
    expect(codes(canTransition(snapshot, 'live', staff))).toEqual(['production_credentials_missing', 'api_particulier_token_missing']);
  });
});

describe('canTransition: rollbacks', () => {
  it('lets staff go back to any earlier stage with a reason', () => {
    const snapshot = makeSnapshot({ stage: 'live', habilitations: { franceconnect: 'revoked' } });
    expect(canTransition(snapshot, 'habilitations_requested', { actor: 'staff', reason: 'Habilitation révoquée' })).toEqual({
      ok: true,
      kind: 'rollback',
      passedThrough: [],
    });
    expect(canTransition(makeSnapshot({ stage: 'qualified' }), 'changes_requested', { actor: 'staff', reason: 'Saisie erronée' }).ok).toBe(true);
  });

  it('requires a non-blank reason', () => {
    expect(codes(canTransition(makeSnapshot({ stage: 'qualified' }), 'internal_check', staff))).toEqual(['reason_required']);
    expect(codes(canTransition(makeSnapshot({ stage: 'qualified' }), 'internal_check', { actor: 'staff', reason: '  ' }))).toEqual([
      'reason_required',
    ]);
  });

  it('is reserved to staff', () => {
    expect(codes(canTransition(makeSnapshot({ stage: 'qualified' }), 'internal_check', { actor: 'client_admin', reason: 'x' }))).toEqual([
      'actor_not_allowed',
    ]);
  });
});

describe('assertTransition', () => {
  it('returns the check when allowed', () => {
    expect(assertTransition(makeSnapshot(), 'habilitations_requested', staff)).toEqual({ ok: true, kind: 'advance', passedThrough: [] });
  });

  it('throws CONFLICT with the reasons when a guard fails', () => {
    const snapshot = makeSnapshot({ stage: 'production_requested', credentials: { franceconnect: {}, apiParticulier: {} } });
    expect(() => assertTransition(snapshot, 'production_credentials_received', staff)).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        detail: 'Les identifiants FranceConnect de production ne sont pas enregistrés.',
        extensions: { reasons: [expect.objectContaining({ code: 'production_credentials_missing' })] },
      }),
    );
  });

  it('throws FORBIDDEN for the wrong actor and VALIDATION_FAILED for a missing reason', () => {
    expect(() => assertTransition(makeSnapshot({ stage: 'qualification_requested' }), 'qualified', clientAdmin)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', status: 403 }),
    );
    let caught: unknown;
    try {
      assertTransition(makeSnapshot({ stage: 'live' }), 'created', staff);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('VALIDATION_FAILED');
    expect((caught as AppError).violations[0]?.path).toBe('reason');
  });
});

describe('moveLabel', () => {
  it('says a return for corrections and the request after it, not « Étape suivante »', () => {
    expect(moveLabel('advance', 'qualification_requested', 'changes_requested')).toBe('Retour de FranceConnect pour corrections');
    expect(moveLabel('advance', 'changes_requested', 'qualification_requested')).toBe('Nouvelle demande de qualification après corrections');
    expect(moveLabel('advance', 'changes_requested', 'internal_check')).toBe('Reprise après corrections');
    expect(moveLabel('advance', 'internal_check', 'qualification_requested')).toBe('Étape suivante');
    expect(moveLabel('rollback', 'qualified', 'internal_check')).toBe('Retour en arrière');
    expect(moveLabel('opened', null, 'created')).toBe('Ouverture du dossier');
  });
});
