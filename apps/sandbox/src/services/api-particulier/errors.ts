/**
 * API Particulier's error format, `{"errors":[{code,title,detail,source,meta}]}` (OpenAPI v3
 * `components.schemas.Error`), and the errors the stand-in answers itself. Titles and details of
 * the codes the OpenAPI documents are the API's own words, verbatim; the others (marked "ours")
 * follow the same style. See README.md for which codes are the real API's and which are ours.
 */

export interface ApiErrorEntry {
  /** Five digits. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly source: { readonly parameter: string } | null;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface ApiErrorBody {
  readonly errors: readonly ApiErrorEntry[];
}

/** An answer in the API's error format; `headers` are added to the response (e.g. `Allow`). */
export class ApiParticulierHttpError extends Error {
  constructor(
    readonly status: number,
    readonly entry: ApiErrorEntry,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${entry.code}: ${entry.detail}`);
    this.name = 'ApiParticulierHttpError';
  }

  get body(): ApiErrorBody {
    return { errors: [this.entry] };
  }
}

function entry(code: string, title: string, detail: string, parameter: string | null = null, meta: Record<string, unknown> = {}): ApiErrorEntry {
  return { code, title, detail, source: parameter === null ? null : { parameter }, meta };
}

const UNPROCESSABLE = 'Entité non traitable';

export const apiErrors = {
  /** 401 `00101`: no bearer, a malformed one, a bad signature, or a token passed in the URL. */
  invalidToken(detail = 'Votre token n\'est pas valide ou n\'est pas renseigné'): ApiParticulierHttpError {
    return new ApiParticulierHttpError(401, entry('00101', 'Interdit', detail, 'token'));
  },
  expiredToken(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(401, entry('00103', 'Jeton expiré', 'Votre token est expiré. Vous devez refaire une demande', 'token'));
  },
  revokedToken(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      401,
      entry(
        '00105',
        'Jeton sur liste noire',
        'Votre jeton est sur liste noire, celui-ci a certainement été divulgué sur un canal non-sécurisé. Vous pouvez trouver un jeton valide sur votre espace personnel: https://particulier.api.gouv.fr/compte',
        'token',
      ),
    );
  },
  /** 403 `00100`: a valid API Particulier token without any scope of the route's API. */
  insufficientPrivileges(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      403,
      entry('00100', 'Privilèges insuffisants', 'Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect', 'token'),
    );
  },
  /** 401 `00101`: FranceConnect says the access token is not active (expired, unknown, session ended). */
  franceConnectTokenInactive(): ApiParticulierHttpError {
    return apiErrors.invalidToken('Le jeton FranceConnect est invalide ou expiré : l’usager doit se reconnecter avec FranceConnect.');
  },
  /** 401 (staging's status for missing scopes) `00100` (ours): the FranceConnect token carries no scope of the API. */
  franceConnectScopesMissing(api: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      401,
      entry('00100', 'Privilèges insuffisants', `Le jeton FranceConnect ne porte aucun des scopes de l’API « ${api} » : demandez-les à FranceConnect lors de la connexion.`, 'token'),
    );
  },
  /** 502 `00501` (ours for this case): FranceConnect's checktoken could not be reached or read. */
  franceConnectUnavailable(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      502,
      entry('00501', 'Erreur réseau', 'La vérification du jeton auprès de FranceConnect a échoué. Il s’agit souvent d’une erreur temporaire.', null, { provider: 'FranceConnect' }),
    );
  },
  recipientMissing(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(422, entry('00203', UNPROCESSABLE, 'Le paramètre recipient est obligatoire', 'recipient'));
  },
  /** 422 `00204` (ours: the real code is not documented). */
  recipientInvalid(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      422,
      entry('00204', UNPROCESSABLE, 'Le paramètre recipient doit être le numéro SIRET (14 chiffres) de l’administration destinataire des données', 'recipient'),
    );
  },
  /** 422 `00366`: a civility parameter missing or malformed, named in `source.parameter` and the detail. */
  civility(parameter: string, reason: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      422,
      entry('00366', UNPROCESSABLE, `Un ou plusieurs paramètres de civilité ne sont pas correctement formatés : ${reason}`, parameter),
    );
  },
  /** 422 `00360`: `ine` missing or malformed. */
  ine(reason: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(422, entry('00360', UNPROCESSABLE, `Le numéro d'INE n'est pas correctement formatté : ${reason}`, 'ine'));
  },
  /** 404 `00404` (ours): no such route. */
  unknownRoute(method: string, path: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(404, entry('00404', 'Route inconnue', `Aucune route ${method} ${path} sur API Particulier (bac à sable).`));
  },
  /** 405 `00405` (ours): the API only answers GET. */
  methodNotAllowed(method: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(405, entry('00405', 'Méthode non autorisée', `La méthode ${method} n’est pas acceptée : cette route ne répond qu’à GET.`), { Allow: 'GET' });
  },
  /** 429 `00429` (headers come from the limiter). */
  tooManyRequests(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(429, entry('00429', 'Trop de requêtes', 'Vous avez effectué trop de requêtes'));
  },
  conflict(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      409,
      entry(
        '00015',
        'Conflit',
        'Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. Veuillez attendre la fin du traitement avant d\'effectuer une nouvelle requête.',
      ),
    );
  },
  /** 502 `<prefix>999`, as the provider's unknown error (37999 for the CNAV). */
  providerError(provider: string, prefix: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      502,
      entry(
        `${prefix}999`,
        'Erreur inconnue du fournisseur de données',
        'La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L\'équipe technique a été notifiée de cette erreur pour investigation.',
        null,
        { provider },
      ),
    );
  },
  /** 503 `<prefix>001` (the OpenAPI gives 37001 "Service non disponible" under 504). */
  providerUnavailable(provider: string, prefix: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      503,
      entry(`${prefix}001`, 'Service non disponible', 'Service du fournisseur de données temporairement indisponible ou en maintenance.', null, { provider }),
    );
  },
  /** 504 `<prefix>002`: the provider did not answer in time. */
  providerTimeout(provider: string, prefix: string): ApiParticulierHttpError {
    return new ApiParticulierHttpError(
      504,
      entry(`${prefix}002`, 'Intermédiaire hors-délai', 'Temps d’attente d’une réponse du fournisseur de données écoulé.', null, { provider }),
    );
  },
  /** 500 `00500` (ours). */
  internal(): ApiParticulierHttpError {
    return new ApiParticulierHttpError(500, entry('00500', 'Erreur interne du serveur', 'Une erreur inattendue est survenue. L’équipe technique a été notifiée.'));
  },
};
