import { defineComponent, type PropType } from 'vue';
import { onboarding } from '../../api/endpoints';
import type { CaseView, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { reload, useResource } from '../../state/resource';
import { canStaffWrite } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';
import { CaseSummary } from './onboarding/CaseSummary';
import { StageMoves } from './onboarding/StageMoves';
import { CaseSettings } from './onboarding/CaseSettings';
import { StageHistory } from './onboarding/StageHistory';
import { Comments } from './onboarding/Comments';

/** The « Parcours » section: where the onboarding stands and what happens next. */
export default defineComponent({
  name: 'OnboardingSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const kase = useResource<CaseView>(() => `case:${props.tenant.id}`, () => onboarding.get(props.tenant.id));
    return () => {
      const state = kase();
      const view = state?.data ?? null;
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Parcours d’intégration
          </SectionTitle>
          {view ? (
            <>
              <CaseSummary view={view} />
              <StageMoves view={view} tenantId={props.tenant.id} />
              {canStaffWrite() ? <CaseSettings key={view.version} view={view} tenantId={props.tenant.id} /> : null}
              <StageHistory tenantId={props.tenant.id} />
              <Comments tenantId={props.tenant.id} />
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(`case:${props.tenant.id}`)} />
          ) : (
            <LoadingState label="Chargement du parcours…" />
          )}
        </section>
      );
    };
  },
});
