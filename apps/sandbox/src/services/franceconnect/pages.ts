import { escapeHtml as e } from './http-utils.js';
import { frenchDate, type DemoIdentity } from './identities.js';

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:Marianne,Arial,sans-serif;color:#161616;background:#f6f6f6;line-height:1.5}
header{background:#fff;border-bottom:1px solid #ddd;padding:1rem 1.5rem}
.brand{margin:0;font-weight:700;font-size:1.25rem;color:#000091}
.brand span{font-weight:400;font-size:.9rem;color:#3a3a3a;margin-left:.5rem}
main{max-width:56rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.75rem;margin:0 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
.notice{background:#e8edff;border-left:4px solid #000091;padding:.75rem 1rem}
.alert{background:#ffe9e9;border-left:4px solid #ce0500;padding:.75rem 1rem;margin:1rem 0}
form.inline{display:inline}
label{display:block;font-weight:700;margin-top:.75rem}
input[type=text],input[type=password]{width:100%;max-width:24rem;padding:.5rem;border:1px solid #3a3a3a;border-radius:.25rem .25rem 0 0;font-size:1rem;background:#eee}
button{cursor:pointer;font-size:1rem;border-radius:0;padding:.5rem 1rem;border:1px solid #000091}
button.primary{background:#000091;color:#fff;margin-top:1rem}
button.primary:hover{background:#1212ff}
button.secondary{background:#fff;color:#000091}
button.secondary:hover{background:#e3e3fd}
button.identity{display:block;width:100%;text-align:left;background:#fff;color:#161616;border:1px solid #858585;padding:.75rem 1rem}
button.identity:hover{border-color:#000091;background:#f5f5fe}
button:focus-visible,input:focus-visible{outline:2px solid #0a76f6;outline-offset:2px}
.identity strong{color:#000091}
.meta{display:block;font-size:.875rem;color:#3a3a3a}
ul.identities{list-style:none;padding:0;margin:0;display:grid;gap:.5rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}
.actions{margin-top:2rem;padding-top:1rem;border-top:1px solid #ddd}
code{background:#eee;padding:0 .25rem}
`;

export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} – FranceConnect (bac à sable)</title>
<style>${STYLE}</style>
</head>
<body>
<header><p class="brand">FranceConnect<span>bac à sable – fournisseur d’identité de démonstration</span></p></header>
<main id="contenu">
${body}
</main>
</body>
</html>`;
}

export interface PickerPage {
  readonly uid: string;
  readonly actionBase: string;
  readonly clientName: string;
  readonly identities: readonly DemoIdentity[];
  readonly error?: string;
  readonly login?: string;
}

function identityLabel(identity: DemoIdentity): string {
  const name = [identity.given_name, identity.family_name].filter((part) => part !== '').join(' ') || '(sans nom)';
  return name;
}

function identityMeta(identity: DemoIdentity): string {
  const born = identity.gender === 'female' ? 'née' : identity.gender === 'male' ? 'né' : 'né·e';
  const place = identity.birthcountry === '99100' ? `à ${identity.birthplace || 'lieu inconnu'} (France)` : `hors de France (pays ${identity.birthcountry})`;
  return `${born} le ${frenchDate(identity.birthdate)} ${place} – identifiant « ${identity.login} »`;
}

function identityList(page: PickerPage, identities: readonly DemoIdentity[]): string {
  return `<ul class="identities">${identities
    .map(
      (identity) => `
<li><form method="post" action="${e(page.actionBase)}/login">
<input type="hidden" name="login" value="${e(identity.login)}">
<button type="submit" class="identity" data-testid="identity-${e(identity.login)}" data-login="${e(identity.login)}">
<strong>${e(identityLabel(identity))}</strong>
<span class="meta">${e(identityMeta(identity))}</span>
</button>
</form></li>`,
    )
    .join('')}
</ul>`;
}

/** The identity picker: a login/password form, one button per demo identity, and "Annuler". */
export function pickerPage(page: PickerPage): string {
  const fc = page.identities.filter((identity) => identity.source === 'franceconnect');
  const apip = page.identities.filter((identity) => identity.source === 'api-particulier-staging');
  const error = page.error ? `<div class="alert" role="alert" data-testid="login-error"><p>${e(page.error)}</p></div>` : '';
  return layout(
    'Choisir une identité',
    `<h1>Se connecter avec une identité de démonstration</h1>
<p class="notice">Le service <strong data-testid="client-name">${e(page.clientName)}</strong> vous demande de vous identifier avec FranceConnect.
Ceci est le <strong>bac à sable</strong> : aucune donnée réelle, les identités ci-dessous sont fictives.</p>
${error}
<h2 id="titre-identifiants">Avec un identifiant et un mot de passe</h2>
<form method="post" action="${e(page.actionBase)}/login" aria-labelledby="titre-identifiants" data-testid="password-form">
<label for="login">Identifiant</label>
<input type="text" id="login" name="login" autocomplete="username" required value="${e(page.login ?? '')}" data-testid="login-input">
<label for="password">Mot de passe</label>
<input type="password" id="password" name="password" autocomplete="current-password" required data-testid="password-input">
<p class="meta">Toutes les identités de démonstration ont le mot de passe <code>123</code>.</p>
<button type="submit" class="primary" data-testid="password-submit">Se connecter</button>
</form>
<h2 id="titre-identites">Ou choisissez une identité de démonstration</h2>
${identityList(page, fc)}
${apip.length > 0 ? `<h2 id="titre-identites-api-particulier">Identités des jeux d’essai d’API Particulier</h2>\n${identityList(page, apip)}` : ''}
<div class="actions">
<form method="post" action="${e(page.actionBase)}/abort">
<button type="submit" class="secondary" data-testid="cancel">Annuler</button>
</form>
<p class="meta">« Annuler » vous ramène au service sans vous connecter.</p>
</div>`,
  );
}

export function errorPage(title: string, error: string, description: string | undefined): string {
  return layout(
    title,
    `<h1>${e(title)}</h1>
<div class="alert" role="alert">
<p>Code d’erreur : <code data-testid="error-code">${e(error)}</code></p>
${description ? `<p data-testid="error-description">${e(description)}</p>` : ''}
</div>
<p>Revenez sur le site du service et recommencez la connexion.</p>`,
  );
}

/** RP-initiated logout without a valid `id_token_hint`: FranceConnect asks the user. */
export function logoutConfirmPage(form: string, clientName: string | undefined): string {
  return layout(
    'Déconnexion',
    `<h1>Se déconnecter de FranceConnect ?</h1>
${clientName ? `<p>Demande de déconnexion venant du service <strong>${e(clientName)}</strong>.</p>` : ''}
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" data-testid="logout-confirm">Se déconnecter</button>`,
  );
}

export function loggedOutPage(clientName: string | undefined): string {
  return layout(
    'Déconnecté',
    `<h1>Vous êtes déconnecté de FranceConnect</h1>
<p data-testid="logged-out">${clientName ? `Vous pouvez fermer cette page ou revenir sur le service ${e(clientName)}.` : 'Vous pouvez fermer cette page.'}</p>`,
  );
}
