import { defineComponent, reactive, type PropType } from 'vue';
import type { TenantView } from '@fcplat/contract';
import { reload } from '../../state/resource';
import { canStaffWrite, isClientAdmin } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';
import type { BaseVersion } from './identity/base-version';
import { DirectoryFacts } from './identity/DirectoryFacts';
import { FileForm } from './identity/FileForm';
import { BrandingForm } from './identity/BrandingForm';
import { TenantAdmins } from './identity/TenantAdmins';

/** The « Identité et contacts » section. */
export default defineComponent({
  name: 'IdentitySection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const base = reactive<BaseVersion>({ version: props.tenant.version, generation: 0 });
    async function reloadTenant(): Promise<void> {
      await reload(`tenant:${props.tenant.id}`);
      base.version = props.tenant.version;
      base.generation += 1;
    }
    return () => {
      const editable = canStaffWrite() || isClientAdmin();
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Identité et contacts
          </SectionTitle>
          <DirectoryFacts tenant={props.tenant} base={base} />
          {editable ? <FileForm key={`fiche-${base.generation}`} tenant={props.tenant} base={base} onReload={() => void reloadTenant()} /> : null}
          {editable ? <BrandingForm key={`portail-${base.generation}`} tenant={props.tenant} base={base} onReload={() => void reloadTenant()} /> : null}
          <TenantAdmins tenant={props.tenant} />
        </section>
      );
    };
  },
});
