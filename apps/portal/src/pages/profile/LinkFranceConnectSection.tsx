import { FranceConnectBlock } from '../../components/FranceConnect';

/**
 * The citizen's own reconciliation path (FC-11): a logged-in account without FranceConnect goes
 * through FranceConnect, and the API links the identity (or asks for a confirmation).
 */
export function LinkFranceConnectSection() {
  return (
    <section id="associer-franceconnect" class="card" aria-labelledby="associer-franceconnect-titre">
      <h2 id="associer-franceconnect-titre">Associer FranceConnect à mon compte</h2>
      <p>Identifiez-vous une fois avec FranceConnect depuis cette page : vous pourrez ensuite vous connecter à ce compte avec FranceConnect.</p>
      <FranceConnectBlock purpose="login" />
    </section>
  );
}
