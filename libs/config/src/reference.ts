/**
 * The configuration reference: every variable the API and the worker read. The README's table
 * is checked against this list by a test, so documentation cannot drift from the code.
 */
export interface VariableReference {
  readonly name: string;
  readonly requiredInProduction: boolean;
  readonly defaultValue: string;
  readonly description: string;
}

export const CONFIG_REFERENCE: readonly VariableReference[] = [
  { name: 'NODE_ENV', requiredInProduction: true, defaultValue: 'development', description: '`production` makes the strict variables required and disables every demo default.' },
  { name: 'HOST', requiredInProduction: false, defaultValue: '127.0.0.1', description: 'Interface the API listens on (`0.0.0.0` in a container).' },
  { name: 'PORT', requiredInProduction: false, defaultValue: '3000', description: 'TCP port of the API.' },
  { name: 'PUBLIC_URL', requiredInProduction: true, defaultValue: 'http://localhost:PORT', description: 'Public base URL (https in production); redirect URIs declared at FranceConnect derive from it.' },
  { name: 'BODY_LIMIT_BYTES', requiredInProduction: false, defaultValue: '1048576', description: 'Largest accepted request body; larger bodies get 413.' },
  { name: 'TRUST_PROXY_HOPS', requiredInProduction: false, defaultValue: '0', description: 'Number of reverse proxies in front of the API (for client IPs and rate limits).' },
  { name: 'DATABASE_URL', requiredInProduction: true, defaultValue: '(embedded by `npm start`)', description: 'PostgreSQL URL `postgres://user:password@host:5432/db` (URL-encode special characters of the password).' },
  { name: 'DATABASE_POOL_MAX', requiredInProduction: false, defaultValue: '10', description: 'Connections per process.' },
  { name: 'DATABASE_SSL', requiredInProduction: false, defaultValue: 'disable', description: '`disable`, `require` (encrypted) or `verify-full` (encrypted, certificate and host checked).' },
  { name: 'DATABASE_STATEMENT_TIMEOUT_MS', requiredInProduction: false, defaultValue: '15000', description: 'Server-side statement timeout for every query.' },
  { name: 'DATABASE_CHANGE_NOTIFICATIONS', requiredInProduction: false, defaultValue: 'true', description: 'The API follows PostgreSQL’s change notifications (`LISTEN`) to keep its per-process caches (portals, FranceConnect clients, API tokens) true on every replica; `false` bypasses those caches (set by `npm start` for its embedded PGlite, which cannot deliver them).' },
  { name: 'DATABASE_PREPARED_STATEMENTS', requiredInProduction: false, defaultValue: 'true', description: 'The hot paths’ statements (a citizen’s FranceConnect login, the portal’s session lookup) run as named prepared statements, parsed and planned once per connection; `false` sends them unnamed (set by `npm start` for its embedded PGlite, whose single session all connections share).' },
  { name: 'QUEUE_BACKEND', requiredInProduction: false, defaultValue: 'redis', description: '`redis` (required in production) or `postgres` (embedded mode); the shared rate limits of the login, sign-up, password-reset and FranceConnect endpoints use the same store.' },
  { name: 'REDIS_URL', requiredInProduction: true, defaultValue: '—', description: 'Redis URL for BullMQ and the shared rate limits; the server must run with `maxmemory-policy noeviction`.' },
  { name: 'QUEUE_PREFIX', requiredInProduction: false, defaultValue: 'fcplat', description: 'Namespace of the queue keys and of the rate-limit keys.' },
  { name: 'HEARTBEAT_INTERVAL_SECONDS', requiredInProduction: false, defaultValue: '30', description: 'How often the API sends a heartbeat job through the worker.' },
  { name: 'SECRETS_KEYS', requiredInProduction: true, defaultValue: '(generated under `.data/` by `npm start`)', description: 'AES-256 keys encrypting tenant secrets at rest: `id:<base64 32 bytes>[,id:<key>…]` (generate one with `npm run cli -- secrets:generate-key`).' },
  { name: 'SECRETS_ACTIVE_KEY', requiredInProduction: true, defaultValue: '—', description: 'Id of the key used for new writes; older keys stay listed until `npm run cli -- secrets:rotate` has re-encrypted every row.' },
  { name: 'SMTP_URL', requiredInProduction: true, defaultValue: '(sandbox mail sink with `npm start`)', description: 'SMTP server for invitations and password resets, `smtp://user:password@host:587` or `smtps://…`.' },
  { name: 'MAIL_FROM', requiredInProduction: true, defaultValue: 'fcplat <no-reply@fcplat.localhost>', description: 'Sender of the platform\'s e-mails.' },
  { name: 'ALLOW_CUSTOM_ENDPOINTS', requiredInProduction: false, defaultValue: 'false', description: 'Non-production flag: allows `custom` FranceConnect issuers and API Particulier URLs (tests, staging). Must stay false in production.' },
  { name: 'DATAPASS_WEBHOOK_SECRET', requiredInProduction: false, defaultValue: '(unset: webhooks disabled)', description: 'Shared secret of the DataPass webhook (HMAC-SHA256, at least 16 characters). Unset: staff record habilitation states by hand.' },
  { name: 'COMPANY_DIRECTORY_URL', requiredInProduction: false, defaultValue: 'https://recherche-entreprises.api.gouv.fr', description: 'Base URL of the company directory (recherche-entreprises); `npm start` points it at the sandbox.' },
  { name: 'SANDBOX_FRANCECONNECT_URL', requiredInProduction: false, defaultValue: '(unset: no sandbox clients)', description: 'Base URL of the sandbox FranceConnect service (e.g. http://127.0.0.1:4010): staff may register a tenant\'s client there in one action; `npm start` sets it. Refused in production unless ALLOW_CUSTOM_ENDPOINTS=true.' },
  { name: 'API_PARTICULIER_IP_LIMIT_PER_MINUTE', requiredInProduction: false, defaultValue: '1000', description: 'Platform-wide ceiling of API Particulier calls per minute: the upstream\'s per-IP limit, shared by every tenant (SR-34).' },
  { name: 'API_PARTICULIER_TOKEN_LIMIT_PER_SECOND', requiredInProduction: false, defaultValue: '20', description: 'Ceiling of calls per second per API Particulier token (the upstream\'s per-token limit).' },
  { name: 'API_PARTICULIER_TIMEOUT_MS', requiredInProduction: false, defaultValue: '5000', description: 'Client timeout of one API Particulier call (the upstream advises 5 s).' },
  { name: 'API_PARTICULIER_MAX_ATTEMPTS', requiredInProduction: false, defaultValue: '5', description: 'Attempts per call for retryable errors (5xx, timeouts, 409); waiting out a 429 is not an attempt.' },
  { name: 'API_PARTICULIER_RETRY_BASE_DELAY_MS', requiredInProduction: false, defaultValue: '2000', description: 'First retry delay, doubled at each attempt, with jitter.' },
  { name: 'API_PARTICULIER_CITIZEN_DEADLINE_MS', requiredInProduction: false, defaultValue: '10000', description: 'How long a citizen\'s page waits for its data before saying it is late (the call goes on).' },
  { name: 'API_PARTICULIER_WORKER_CONCURRENCY', requiredInProduction: false, defaultValue: '16', description: 'API Particulier calls handled at once by one worker process when the upstream answers fast; with a slow upstream the worker goes above it (concurrency follows latency: allowed rate × the upstream\'s observed latency).' },
  { name: 'API_PARTICULIER_WORKER_MAX_CONCURRENCY', requiredInProduction: false, defaultValue: '128', description: 'The most API Particulier calls one worker process handles at once when its concurrency follows a slow upstream (at least API_PARTICULIER_WORKER_CONCURRENCY). The rate limits, not this, bound the rate.' },
  { name: 'API_PARTICULIER_LOG_RETENTION_DAYS', requiredInProduction: false, defaultValue: '365', description: 'How long the call log keeps a call (tenant, API, modality, who, outcome; no personal data).' },
  { name: 'API_PARTICULIER_RESULT_RETENTION_DAYS', requiredInProduction: false, defaultValue: '30', description: 'How long the useful part of an answer (e.g. the quotient familial value) stays available, encrypted, for portals and batch downloads.' },
  { name: 'SANDBOX_API_PARTICULIER_URL', requiredInProduction: false, defaultValue: '(unset)', description: 'Base URL of the sandbox API Particulier stand-in (e.g. http://127.0.0.1:4020): tenants\' `sandbox` environment calls it; `npm start` sets it. Refused in production unless ALLOW_CUSTOM_ENDPOINTS=true.' },
  { name: 'QUALIFICATION_ROBOT_ENABLED', requiredInProduction: false, defaultValue: 'true', description: 'Whether this worker runs the qualification robot\'s jobs (it needs Chromium); set false on workers without it.' },
  { name: 'QUALIFICATION_ROBOT_BROWSERS', requiredInProduction: false, defaultValue: '2', description: 'Chromium processes in one worker\'s pool: robot runs at once per worker process.' },
  { name: 'QUALIFICATION_ROBOT_CHROMIUM_PATH', requiredInProduction: false, defaultValue: '/usr/bin/chromium', description: 'Chromium executable the robot drives (also renders the qualification dossier\'s PDF).' },
  { name: 'QUALIFICATION_ROBOT_EVIDENCE_RETENTION_DAYS', requiredInProduction: false, defaultValue: '30', description: 'How long robot runs and their screenshots are kept; each tenant\'s last run is always kept.' },
  { name: 'QUALIFICATION_ROBOT_SCHEDULE_HOURS', requiredInProduction: false, defaultValue: '24', description: 'Interval between automatic re-verifications of every tenant live in production (0: never).' },
  { name: 'QUALIFICATION_ROBOT_TEST_IDENTITY', requiredInProduction: false, defaultValue: 'test', description: 'FranceConnect test identity the robot logs in with, always on a non-production client.' },
  { name: 'STOP_TIMEOUT_SECONDS', requiredInProduction: false, defaultValue: '25', description: 'How long the API and the worker take, after SIGTERM, to answer their open requests and finish their running jobs; past it they exit with code 1, logging what was left (jobs are taken over by another worker). Keep it under the orchestrator\'s grace period (30 s in Kubernetes).' },
  { name: 'LOG_LEVEL', requiredInProduction: false, defaultValue: 'info', description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.' },
];
