import { defineComponent } from 'vue';
import { RouterLink } from 'vue-router';
import { FlashMessage, QueryErrorAlert } from '../components/Layout';
import { FranceConnectBlock, OrSeparator } from '../components/FranceConnect';
import { LoginForm } from '../components/LoginForm';
import { SignupForm } from '../components/SignupForm';
import { displayName, pendingIdentityOf } from '../format';
import { franceConnectOffered, franceConnectPending, portalName, session } from '../session';

/**
 * « Connexion » and « Inscription », each with FranceConnect first (sentence, button, link), the
 * « ou » separator, then the e-mail and password form (FC-01 to FC-07). No other login method.
 */
export const HomePage = defineComponent({
  name: 'HomePage',
  setup() {
    return () => {
      const me = session.me;
      const franceConnect = franceConnectOffered();
      if (me) {
        return (
          <>
            <h1 tabindex="-1">Bienvenue, {displayName(me)}</h1>
            <QueryErrorAlert />
            <FlashMessage />
            <div class="card">
              <p>Vous êtes connecté(e) au portail {portalName()}.</p>
              {pendingIdentityOf(me) ? <p>Une identité FranceConnect attend votre confirmation sur votre profil.</p> : null}
              <p>
                <RouterLink to="/profil">{{ default: () => 'Accéder à mon profil' }}</RouterLink>
              </p>
            </div>
          </>
        );
      }
      return (
        <>
          <h1 tabindex="-1">Connexion et inscription</h1>
          <p class="lead">Accédez aux services en ligne de {portalName()}.</p>
          {franceConnect && session.portal?.dataRetrievalAtLogin ? (
            <p class="data-at-login" data-testid="data-at-login">
              En vous connectant ou en vous inscrivant avec FranceConnect, vous pouvez autoriser {portalName()} à obtenir directement auprès des
              administrations les informations utiles à vos démarches (par exemple votre quotient familial) : vous n’avez pas de justificatif à
              fournir. FranceConnect vous demande votre accord, et vos données s’affichent ensuite sur votre profil.
            </p>
          ) : null}
          <QueryErrorAlert />
          <FlashMessage />
          {franceConnectPending() ? (
            <div class="alert" id="franceconnect-indisponible">
              <p>La connexion avec FranceConnect n’est pas encore disponible sur ce portail. Vous pouvez vous connecter ou vous inscrire avec votre adresse électronique.</p>
            </div>
          ) : null}
          <div class="auth-grid">
            <section id="connexion" class="card" aria-labelledby="connexion-titre">
              <h2 id="connexion-titre">Connexion</h2>
              {franceConnect ? (
                <>
                  <FranceConnectBlock purpose="login" />
                  <OrSeparator />
                </>
              ) : null}
              <LoginForm />
            </section>
            <section id="inscription" class="card" aria-labelledby="inscription-titre">
              <h2 id="inscription-titre">Inscription</h2>
              {franceConnect ? (
                <>
                  <FranceConnectBlock purpose="signup" />
                  <OrSeparator />
                </>
              ) : null}
              <SignupForm />
            </section>
          </div>
        </>
      );
    };
  },
});
