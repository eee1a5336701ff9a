import { defineComponent } from 'vue';
import { FlashMessage, QueryErrorAlert } from '../components/Layout';
import { pendingIdentityOf } from '../format';
import { franceConnectOffered, session } from '../session';
import { IdentitySection } from './profile/IdentitySection';
import { LinkFranceConnectSection } from './profile/LinkFranceConnectSection';
import { ReconciliationBanner } from './profile/ReconciliationBanner';
import { ContactForm } from './profile/ContactForm';
import { DataRetrievalSection } from './profile/DataRetrievalSection';
import { DeleteAccountSection } from './profile/DeleteAccountSection';

/** « Mon profil » (FC-14 to FC-16, FC-08 D, FC-11, FC-12). */
export const ProfilePage = defineComponent({
  name: 'ProfilePage',
  setup() {
    return () => {
      const me = session.me;
      if (!me) return null;
      return (
        <>
          <h1 id="profil-titre" tabindex="-1">
            Mon profil
          </h1>
          <QueryErrorAlert />
          <FlashMessage />
          <ReconciliationBanner me={me} />
          <IdentitySection me={me} />
          <ContactForm me={me} key={me.id} />
          {franceConnectOffered() && !me.franceConnectLinked && !pendingIdentityOf(me) ? <LinkFranceConnectSection /> : null}
          {session.portal?.dataRetrievalEnabled && session.portal.environment?.franceConnectAvailable ? <DataRetrievalSection /> : null}
          <DeleteAccountSection me={me} />
        </>
      );
    };
  },
});
