import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { baseHandler, sendJson, type SandboxService } from '../http.js';
import { FIXTURE_UNITS, type FixtureUnit } from './recherche-entreprises/fixtures.js';
import { PerClientWindow } from './recherche-entreprises/rate-limit.js';
import { search } from './recherche-entreprises/search.js';

export { FIXTURE_UNITS, type FixtureEstablishment, type FixtureUnit } from './recherche-entreprises/fixtures.js';

export interface RechercheEntreprisesOptions {
  /** Requests allowed per client IP and window; 7 like the real API. */
  readonly perIpLimit?: number;
  /** Window of the limit, in ms; 1000 like the real API. */
  readonly windowMs?: number;
  /** Organisations served; the real-world fixture set by default. */
  readonly units?: readonly FixtureUnit[];
}

/** What the stand-in saw, for tests that check a client's behaviour from the server's side. */
export interface JournalEntry {
  /** `performance.now()` at arrival, in ms. */
  readonly at: number;
  readonly ip: string;
  readonly path: string;
  readonly status: number;
}

export interface RechercheEntreprisesSandbox extends SandboxService {
  /** The last 1000 `/search` requests, oldest first. */
  readonly journal: readonly JournalEntry[];
}

const JOURNAL_SIZE = 1000;

/**
 * Stand-in for the company directory (https://recherche-entreprises.api.gouv.fr): `GET /search`
 * with `q` (SIREN, SIRET or words), filters, `page`, `per_page` (<= 25), `minimal`/`include`,
 * answering in the real API's format for a fixture set of real organisations, with its 400
 * messages, and its per-IP ceiling (429 + Retry-After beyond 7 requests per second).
 */
export function rechercheEntreprisesService(options: RechercheEntreprisesOptions = {}): RechercheEntreprisesSandbox {
  const meta = { id: 'recherche-entreprises', label: 'Annuaire des entreprises (bac à sable)' } as const;
  const units = options.units ?? FIXTURE_UNITS;
  const limiter = new PerClientWindow(options.perIpLimit ?? 7, options.windowMs ?? 1000);
  const journal: JournalEntry[] = [];

  const record = (entry: JournalEntry): void => {
    journal.push(entry);
    if (journal.length > JOURNAL_SIZE) journal.splice(0, journal.length - JOURNAL_SIZE);
  };

  const routes = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname !== '/search') return;
    const at = performance.now();
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (req.method !== 'GET') {
      sendJson(res, 405, { detail: 'Method Not Allowed' }, { Allow: 'GET' });
      record({ at, ip, path: url.pathname, status: 405 });
      return;
    }
    const verdict = limiter.check(ip);
    if (!verdict.allowed) {
      sendJson(
        res,
        429,
        { erreur: 'Trop de requêtes : la limite est de 7 requêtes par seconde et par adresse IP.' },
        { 'Retry-After': String(verdict.retryAfterSeconds) },
      );
      record({ at, ip, path: url.pathname, status: 429 });
      return;
    }
    const outcome = search(url.searchParams, units);
    sendJson(res, outcome.status, outcome.body);
    record({ at, ip, path: url.pathname, status: outcome.status });
  };

  return {
    ...meta,
    journal,
    handler: baseHandler(meta, routes, 'https://recherche-entreprises.api.gouv.fr'),
  };
}
