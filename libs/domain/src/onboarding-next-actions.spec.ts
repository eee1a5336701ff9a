import { HABILITATION_STATES } from './datapass.js';
import { ONBOARDING_STAGES, type OnboardingSnapshot } from './onboarding.js';
import { nextActions } from './onboarding-next-actions.js';
import { QUALIFICATION_ITEM_IDS, type ChecklistEntry } from './qualification.js';

const ALL_PASSED: ChecklistEntry[] = QUALIFICATION_ITEM_IDS.map((id) => ({ id, status: 'passed', source: 'robot' }));

function makeSnapshot(overrides: Partial<OnboardingSnapshot> = {}): OnboardingSnapshot {
  return {
    stage: 'created',
    modes: { connexion: true, dataRetrieval: true },
    habilitations: {},
    credentials: { franceconnect: {}, apiParticulier: {} },
    checklist: [],
    ...overrides,
  };
}

describe('nextActions', () => {
  it('asks a new client to file both DataPass requests', () => {
    const progress = nextActions(makeSnapshot());
    expect(progress.stageLabel).toBe('Client créé');
    expect(progress.done).toEqual([]);
    expect(progress.next).toEqual([
      {
        actor: 'client',
        actorLabel: 'Votre organisme',
        text: 'Déposez sur DataPass (https://datapass.api.gouv.fr) la demande d’habilitation FranceConnect, en désignant le contact technique de votre éditeur.',
      },
      {
        actor: 'client',
        actorLabel: 'Votre organisme',
        text: 'Déposez sur DataPass (https://datapass.api.gouv.fr) la demande d’habilitation API Particulier.',
      },
    ]);
    expect(progress.blockers.map((b) => b.code)).toEqual([
      'franceconnect_habilitation_not_filed',
      'api_particulier_habilitation_not_filed',
    ]);
  });

  it('does not mention API Particulier for a login-only service', () => {
    const progress = nextActions(makeSnapshot({ modes: { connexion: true, dataRetrieval: false } }));
    expect(progress.next).toHaveLength(1);
    expect(progress.next[0]?.text).toContain('FranceConnect');
  });

  it('tells who acts on each request while DataPass instructs', () => {
    const progress = nextActions(
      makeSnapshot({ stage: 'habilitations_requested', habilitations: { franceconnect: 'submitted', api_particulier: 'changes_requested' } }),
    );
    expect(progress.done).toEqual(['Votre organisme est inscrit sur la plateforme.']);
    expect(progress.next.map((a) => [a.actor, a.text])).toEqual([
      ['datapass', 'DataPass instruit votre demande d’habilitation FranceConnect.'],
      ['client', 'DataPass demande des modifications sur votre demande API Particulier : corrigez-la puis soumettez-la de nouveau.'],
    ]);
  });

  it('asks for the API Particulier pairing once habilitations are validated', () => {
    const progress = nextActions(
      makeSnapshot({ stage: 'habilitations_validated', habilitations: { franceconnect: 'validated', api_particulier: 'validated' } }),
    );
    expect(progress.next.map((a) => a.actor)).toEqual(['editor', 'client']);
    expect(progress.next[1]?.text).toContain('api-particulier@api.gouv.fr');
    expect(progress.blockers.map((b) => b.code)).toEqual(['sandbox_credentials_missing']);
  });

  it('reports the recette progress and what blocks the qualification request', () => {
    const checklist = ALL_PASSED.slice(0, 10).map((e, i) => (i === 4 ? { ...e, status: 'failed' as const } : e));
    const progress = nextActions(
      makeSnapshot({
        stage: 'internal_check',
        habilitations: { franceconnect: 'validated', api_particulier: 'validated' },
        credentials: { franceconnect: { sandbox: true }, apiParticulier: {} },
        checklist,
      }),
    );
    expect(progress.done).toHaveLength(4);
    expect(progress.next).toEqual([
      {
        actor: 'editor',
        actorLabel: 'Votre éditeur',
        text: 'Votre éditeur vérifie les 22 prérequis de FranceConnect : 9 validé(s), 1 à corriger, 12 à vérifier.',
      },
    ]);
    expect(progress.blockers.map((b) => b.code)).toEqual(['checklist_failed', 'checklist_incomplete', 'ds_file_number_missing']);
  });

  it('points to Démarches Simplifiées when the recette is complete', () => {
    const progress = nextActions(
      makeSnapshot({
        stage: 'internal_check',
        habilitations: { franceconnect: 'validated', api_particulier: 'validated' },
        credentials: { franceconnect: { sandbox: true }, apiParticulier: {} },
        checklist: ALL_PASSED,
        dsFileNumber: '987654',
      }),
    );
    expect(progress.next[1]?.text).toContain('https://www.demarches-simplifiees.fr/commencer/demande-qualification-fs');
    expect(progress.blockers).toEqual([]);
  });

  it('names the Démarches Simplifiées file while FranceConnect qualifies', () => {
    const progress = nextActions(
      makeSnapshot({
        stage: 'qualification_requested',
        habilitations: { franceconnect: 'validated', api_particulier: 'validated' },
        dsFileNumber: '987654',
      }),
    );
    expect(progress.next).toEqual([
      {
        actor: 'franceconnect',
        actorLabel: 'FranceConnect',
        text: 'L’équipe FranceConnect teste l’intégration (dossier Démarches Simplifiées n° 987654), puis la qualifie ou demande des corrections.',
      },
    ]);
  });

  it('shows the qualification request as done while corrections are under way', () => {
    const progress = nextActions(
      makeSnapshot({ stage: 'changes_requested', habilitations: { franceconnect: 'validated', api_particulier: 'validated' } }),
    );
    expect(progress.done.at(-1)).toBe('La qualification a été demandée à FranceConnect.');
    expect(progress.next[0]?.actor).toBe('editor');
  });

  it('announces the production secrets channel and delay', () => {
    const progress = nextActions(
      makeSnapshot({ stage: 'production_requested', habilitations: { franceconnect: 'validated', api_particulier: 'validated' } }),
    );
    expect(progress.next[0]?.actor).toBe('franceconnect');
    expect(progress.next[0]?.text).toContain('client_secret) par SMS');
    expect(progress.next[0]?.text).toContain('7 jours ouvrés');
  });

  it('asks for the API Particulier token before going live with data retrieval', () => {
    const progress = nextActions(
      makeSnapshot({
        stage: 'production_credentials_received',
        habilitations: { franceconnect: 'validated', api_particulier: 'validated' },
        credentials: { franceconnect: { sandbox: true, production: true }, apiParticulier: {} },
      }),
    );
    expect(progress.next.map((a) => a.actor)).toEqual(['client', 'editor']);
    expect(progress.blockers.map((b) => b.code)).toEqual(['api_particulier_token_missing']);
  });

  it('puts a revoked habilitation first at any later stage', () => {
    const progress = nextActions(
      makeSnapshot({ stage: 'qualified', habilitations: { franceconnect: 'revoked', api_particulier: 'validated' } }),
    );
    expect(progress.next[0]).toEqual({
      actor: 'client',
      actorLabel: 'Votre organisme',
      text: 'Votre habilitation FranceConnect a été révoquée : le service ne peut plus l’utiliser. Déposez une nouvelle demande sur DataPass.',
    });
    expect(progress.next[1]?.text).toContain('mise en production');
  });

  it('has nothing left to do once live', () => {
    const progress = nextActions(
      makeSnapshot({ stage: 'live', habilitations: { franceconnect: 'validated', api_particulier: 'validated' } }),
    );
    expect(progress.summary).toBe('Votre service est en production avec FranceConnect.');
    expect(progress.next).toEqual([]);
    expect(progress.blockers).toEqual([]);
    expect(progress.done).toHaveLength(9);
  });

  describe('in the staff’s words', () => {
    /** Every stage, with every habilitation state and both modes' combinations, complete checklist or not. */
    const snapshots = ONBOARDING_STAGES.flatMap((stage) =>
      [...HABILITATION_STATES, undefined].flatMap((state) =>
        [true, false].flatMap((dataRetrieval) =>
          [[], ALL_PASSED].map((checklist) =>
            makeSnapshot({ stage, modes: { connexion: true, dataRetrieval }, habilitations: state ? { franceconnect: state, api_particulier: state } : {}, checklist, dsFileNumber: '12345' }),
          ),
        ),
      ),
    );

    it('never addresses staff as the client: no « votre », « vos », and no order given to staff for what others do', () => {
      const yours = /\b(votre|vos|Votre|Vos)\b/;
      // An imperative is for whoever reads: for staff, only what the editor's team does.
      const order = /^[A-ZÉ][a-zéèêàç]+(ez|ssez)\b/;
      const wrong = snapshots.flatMap((snapshot) => {
        const progress = nextActions(snapshot, 'staff');
        const texts = [progress.summary, ...progress.done, ...progress.next.map((a) => a.actorLabel)];
        return [
          ...texts.filter((text) => yours.test(text)),
          ...progress.next.filter((a) => yours.test(a.text) || (a.actor !== 'editor' && order.test(a.text))).map((a) => a.text),
        ];
      });
      expect(wrong).toEqual([]);
      // The check can fail: the client's own words have both.
      const clientTexts = snapshots.flatMap((snapshot) => nextActions(snapshot).next.map((a) => a.text));
      expect(clientTexts.some((text) => yours.test(text)) && clientTexts.some((text) => order.test(text))).toBe(true);
    });

    it('says the same actions in both voices: same actors, same count', () => {
      for (const snapshot of snapshots) {
        expect(nextActions(snapshot, 'staff').next.map((a) => a.actor)).toEqual(nextActions(snapshot).next.map((a) => a.actor));
      }
    });

    it('tells staff what the client must do, and what they must do themselves', () => {
      expect(nextActions(makeSnapshot(), 'staff').next[0]).toEqual({
        actor: 'client',
        actorLabel: 'Le client',
        text: 'Le client doit déposer sur DataPass (https://datapass.api.gouv.fr) la demande d’habilitation FranceConnect, en désignant le contact technique de l’éditeur.',
      });
      expect(nextActions(makeSnapshot({ stage: 'changes_requested' }), 'staff').next.at(-1)).toEqual({
        actor: 'editor',
        actorLabel: 'L’équipe de l’éditeur',
        text: 'Apportez les corrections demandées par FranceConnect, refaites la recette puis redemandez la qualification.',
      });
    });
  });
});
