import { defineComponent, nextTick, reactive, ref } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import type { NextStep } from '@fcplat/contract';
import { auth } from '../../api/endpoints';
import { ProblemSummary, StatusMessage } from '../../components/Feedback';
import { TextField } from '../../components/fields/TextField';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { homeOf, safeReturnPath } from '../../router';
import { completeLogin, takeFlash, type Flash } from '../../state/session';
import { emailProblem, totpCodeOf, totpCodeProblem } from '../../validation';
import { bound } from '../../components/fields/shared';

type Step = 'password' | NextStep;

interface Enrolment {
  readonly qrCodeDataUrl: string;
  readonly secret: string;
}

/** The base32 secret in groups of four, easier to type into an authenticator app. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * Login in two steps: e-mail and password, then the six-digit code of the authenticator app.
 * On the first login the API asks for the set-up instead: a QR code (and the secret for manual
 * entry), then a first code that activates it.
 */
export default defineComponent({
  name: 'LoginPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const step = ref<Step>('password');
    const form = reactive({ email: '', password: '', code: '' });
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const busy = ref(false);
    const enrolment = ref<Enrolment | null>(null);
    const enrolmentError = ref<Problem | null>(null);
    const flash = ref<Flash | null>(takeFlash());

    function reset(): void {
      for (const key of Object.keys(errors)) errors[key] = undefined;
      problem.value = null;
    }

    function fail(error: unknown): void {
      problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
      if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
      void nextTick(() => document.getElementById('connexion-probleme')?.focus());
    }

    async function focusStep(id: string): Promise<void> {
      await nextTick();
      document.getElementById(id)?.focus();
    }

    async function submitPassword(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      reset();
      flash.value = null;
      errors['email'] = emailProblem(form.email);
      errors['password'] = form.password === '' ? 'Saisissez votre mot de passe.' : undefined;
      if (errors['email'] || errors['password']) return void focusStep(errors['email'] ? 'email' : 'password');
      busy.value = true;
      try {
        const { next } = await auth.login(form.email.trim(), form.password);
        form.password = '';
        step.value = next;
        if (next === 'totp_setup') await startSetup();
        await focusStep('code');
      } catch (error) {
        fail(error);
      } finally {
        busy.value = false;
      }
    }

    async function startSetup(): Promise<void> {
      enrolmentError.value = null;
      try {
        const answer = await auth.totpSetup();
        enrolment.value = { qrCodeDataUrl: answer.qrCodeDataUrl, secret: answer.secret };
      } catch (error) {
        enrolmentError.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
      }
    }

    async function submitCode(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      reset();
      errors['code'] = totpCodeProblem(form.code);
      if (errors['code']) return void focusStep('code');
      busy.value = true;
      try {
        const code = totpCodeOf(form.code);
        if (step.value === 'totp_setup') await auth.totpActivate(code);
        else await auth.totp(code);
        await completeLogin();
        await router.replace(safeReturnPath(route.query['retour']) ?? homeOf());
      } catch (error) {
        form.code = '';
        // The password step is only valid for 10 minutes: when it is gone, start again from there.
        // The API answers 401 UNAUTHENTICATED both for a wrong code and for a missing pending
        // session; only its sentence tells them apart (a wrong code's sentence speaks of the code).
        if (error instanceof ApiError && error.status === 401 && !/code/i.test(error.userMessage)) {
          step.value = 'password';
          enrolment.value = null;
        }
        fail(error);
      } finally {
        busy.value = false;
      }
    }

    function restart(): void {
      reset();
      step.value = 'password';
      enrolment.value = null;
      form.code = '';
      void focusStep('email');
    }

    const codeField = (hint: string) => (
      <TextField
        id="code"
        label="Code à six chiffres"
        hint={hint}
        {...bound(form, 'code')}
        inputmode="numeric"
        autocomplete="one-time-code"
        maxlength={7}
        required
        error={errors['code']}
      />
    );

    return () => (
      <div class="container container--narrow">
        <h1 tabindex="-1">Connexion à la console</h1>
        {flash.value ? <StatusMessage text={flash.value.text} /> : <StatusMessage text={null} />}
        <ProblemSummary id="connexion-probleme" problem={problem.value} fields={['email', 'password', 'code']} title="La connexion n’a pas abouti" />

        {step.value === 'password' ? (
          <form class="card" novalidate onSubmit={(e: Event) => void submitPassword(e)} aria-labelledby="etape-mot-de-passe">
            <h2 id="etape-mot-de-passe">Étape 1 sur 2 : identifiants</h2>
            <TextField id="email" label="Adresse e-mail" type="email" autocomplete="username" required {...bound(form, 'email', errors['email'])} />
            <TextField
              id="password"
              label="Mot de passe"
              type="password"
              autocomplete="current-password"
              required
              {...bound(form, 'password', errors['password'])}
            />
            <div class="actions">
              <Button type="submit" label="Continuer" loading={busy.value} />
              <RouterLink to={{ name: 'forgotten-password' }}>{{ default: () => 'Mot de passe oublié ?' }}</RouterLink>
            </div>
          </form>
        ) : null}

        {step.value === 'totp' ? (
          <form class="card" novalidate onSubmit={(e: Event) => void submitCode(e)} aria-labelledby="etape-code">
            <h2 id="etape-code">Étape 2 sur 2 : code de votre application d’authentification</h2>
            {codeField('Ouvrez votre application d’authentification et saisissez le code affiché pour « fcplat ».')}
            <div class="actions">
              <Button type="submit" label="Se connecter" loading={busy.value} />
              <Button type="button" label="Recommencer" severity="secondary" text onClick={restart} />
            </div>
          </form>
        ) : null}

        {step.value === 'totp_setup' ? (
          <form class="card" novalidate onSubmit={(e: Event) => void submitCode(e)} aria-labelledby="etape-configuration">
            <h2 id="etape-configuration">Étape 2 sur 2 : configurer votre application d’authentification</h2>
            <p>
              Première connexion : la console demande, en plus du mot de passe, un code à usage unique. Installez une application
              d’authentification (par exemple FreeOTP, Aegis ou celle de votre téléphone), puis :
            </p>
            <ol>
              <li>scannez le QR code ci-dessous avec l’application, ou saisissez la clé à la main ;</li>
              <li>saisissez le code à six chiffres qu’elle affiche.</li>
            </ol>
            {enrolment.value ? (
              <div>
                <img class="qr-code" src={enrolment.value.qrCodeDataUrl} width={240} height={240} alt="QR code de configuration de l’application d’authentification" />
                <p>
                  Clé à saisir à la main : <span class="code" data-testid="totp-secret">{groupSecret(enrolment.value.secret)}</span>
                </p>
              </div>
            ) : enrolmentError.value ? (
              <Message severity="error" closable={false}>
                {{ default: () => enrolmentError.value?.detail ?? 'Le QR code n’a pas pu être préparé. Recommencez la connexion.' }}
              </Message>
            ) : (
              <p class="muted">Préparation du QR code…</p>
            )}
            {codeField('Le code change toutes les 30 secondes.')}
            <div class="actions">
              <Button type="submit" label="Activer et me connecter" loading={busy.value} disabled={!enrolment.value} />
              <Button type="button" label="Recommencer" severity="secondary" text onClick={restart} />
            </div>
          </form>
        ) : null}
      </div>
    );
  },
});
