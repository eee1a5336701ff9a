import { ONBOARDING_STAGES, canTransition, type OnboardingSnapshot, type OnboardingStage, type TransitionContext } from './onboarding.js';
import { QUALIFICATION_ITEM_IDS, type ChecklistEntry } from './qualification.js';

/**
 * Every (from, to, actor) triple of the onboarding state machine, checked against an expectation
 * written out here by hand from the rules (not derived from the implementation's tables), with
 * every guard satisfied so that only the shape of the machine is under test.
 */
const ACTORS = ['staff', 'client_admin', 'system'] as const;
type Actor = (typeof ACTORS)[number];

/** The normal moves and who may make them, as the onboarding process describes them. */
const EDGES: Record<string, readonly Actor[]> = {
  'created>habilitations_requested': ['staff', 'client_admin', 'system'],
  'habilitations_requested>habilitations_validated': ['staff', 'system'],
  'habilitations_validated>integration_credentials_received': ['staff', 'system'],
  'integration_credentials_received>internal_check': ['staff'],
  'internal_check>qualification_requested': ['staff'],
  'qualification_requested>qualified': ['staff'],
  'qualification_requested>changes_requested': ['staff'],
  'changes_requested>internal_check': ['staff'],
  'changes_requested>qualification_requested': ['staff'],
  'qualified>production_requested': ['staff', 'client_admin'],
  'production_requested>production_credentials_received': ['staff', 'system'],
  'production_credentials_received>live': ['staff'],
};
const MAIN_PATH: OnboardingStage[] = ONBOARDING_STAGES.filter((s) => s !== 'changes_requested');
const QUALIFICATION_STAGES = new Set<OnboardingStage>(['internal_check', 'qualification_requested', 'qualified']);

const ALL_PASSED: ChecklistEntry[] = QUALIFICATION_ITEM_IDS.map((id) => ({ id, status: 'passed', source: 'manual' }));

function snapshot(stage: OnboardingStage, editorQualified: boolean): OnboardingSnapshot {
  return {
    stage,
    modes: { connexion: true, dataRetrieval: true },
    habilitations: { franceconnect: 'validated', api_particulier: 'validated' },
    credentials: { franceconnect: { sandbox: true, production: true }, apiParticulier: { sandbox: true, production: true } },
    checklist: ALL_PASSED,
    dsFileNumber: '12345678',
    editorQualified,
  };
}

function expected(from: OnboardingStage, to: OnboardingStage, actor: Actor, withReason: boolean, editorQualified: boolean): boolean {
  if (from === to) return false;
  const edge = EDGES[`${from}>${to}`];
  if (edge) return edge.includes(actor);
  const order = ONBOARDING_STAGES.indexOf(to) - ONBOARDING_STAGES.indexOf(from);
  if (order < 0) return actor === 'staff' && withReason; // rollback
  // A forward jump: staff only, along the main path, never through the qualification stages
  // (nor onto `qualified`) unless the editor's software is already qualified.
  if (actor !== 'staff') return false;
  const i = MAIN_PATH.indexOf(from);
  const j = MAIN_PATH.indexOf(to);
  if (i < 0 || j < 0 || j <= i + 1) return false;
  if (editorQualified) return true;
  const passed = MAIN_PATH.slice(i + 1, j);
  return !passed.some((s) => QUALIFICATION_STAGES.has(s)) && to !== 'qualified';
}

describe('onboarding state machine: the whole matrix', () => {
  const cases: [OnboardingStage, OnboardingStage, Actor, boolean, boolean][] = [];
  for (const from of ONBOARDING_STAGES)
    for (const to of ONBOARDING_STAGES)
      for (const actor of ACTORS)
        for (const withReason of [false, true]) for (const editorQualified of [false, true]) cases.push([from, to, actor, withReason, editorQualified]);

  it(`covers ${ONBOARDING_STAGES.length ** 2 * ACTORS.length * 4} combinations`, () => {
    const mismatches: string[] = [];
    for (const [from, to, actor, withReason, editorQualified] of cases) {
      const context: TransitionContext = withReason ? { actor, reason: 'Erreur de saisie corrigée' } : { actor };
      const result = canTransition(snapshot(from, editorQualified), to, context);
      const want = expected(from, to, actor, withReason, editorQualified);
      if (result.ok !== want) {
        mismatches.push(`${from} → ${to} by ${actor}${withReason ? ' with reason' : ''}${editorQualified ? ' (editor qualified)' : ''}: got ${result.ok ? 'allowed' : `refused (${result.reasons.map((r) => r.code).join(', ')})`}`);
      }
      if (!result.ok) expect(result.reasons.length).toBeGreaterThan(0);
    }
    expect(mismatches).toEqual([]);
  });
});
