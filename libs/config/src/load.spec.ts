import { ConfigError, loadConfig } from './index.js';

const production = {
  NODE_ENV: 'production',
  SECRETS_KEYS: 'k1:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=',
  SECRETS_ACTIVE_KEY: 'k1',
  SMTP_URL: 'smtp://mail.example.fr:587',
  MAIL_FROM: 'Plateforme <no-reply@example.fr>',
  PUBLIC_URL: 'https://collectivites.example.fr',
  DATABASE_URL: 'postgres://app:s3cret@db:5432/fcplat',
  REDIS_URL: 'redis://:hunter2@redis:6379',
};

const dev = { SECRETS_KEYS: production.SECRETS_KEYS, SECRETS_ACTIVE_KEY: 'k1' };

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('accepts a complete production configuration and freezes it', () => {
    const config = loadConfig(production);
    expect(config.isProduction).toBe(true);
    expect(config.queue).toMatchObject({ backend: 'redis', prefix: 'fcplat' });
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names DATABASE_URL when it is missing', () => {
    const { DATABASE_URL: _ignored, ...env } = production;
    expect(issuesOf(env)).toEqual(['DATABASE_URL: is required']);
  });

  it('reports every problem at once, never echoing values', () => {
    const issues = issuesOf({ ...production, PUBLIC_URL: '', NODE_ENV: 'production', DATABASE_URL: 'mysql://root:topsecret@x/y', PORT: 'abc', QUEUE_BACKEND: 'postgres' });
    expect(issues).toEqual(
      expect.arrayContaining([
        'PUBLIC_URL: is required',
        'PORT: must be a number',
        expect.stringMatching(/^DATABASE_URL: must be a URL/),
        expect.stringMatching(/^QUEUE_BACKEND: must be redis in production/),
      ]),
    );
    expect(issues.join('\n')).not.toContain('topsecret');
  });

  it('requires the secrets keyring, and never echoes key material', () => {
    const { SECRETS_KEYS: _k, ...withoutKeys } = production;
    expect(issuesOf(withoutKeys)).toEqual([expect.stringMatching(/^SECRETS_KEYS: /)]);
    const issues = issuesOf({ ...production, SECRETS_KEYS: 'k1:c2hvcnQ=' });
    expect(issues).toEqual([expect.stringMatching(/^SECRETS_KEYS: /)]);
    expect(issues.join()).not.toContain('c2hvcnQ=');
    expect(issuesOf({ ...production, SECRETS_ACTIVE_KEY: 'k9' })).toEqual([expect.stringMatching(/^SECRETS_ACTIVE_KEY: /)]);
  });

  it('refuses a short DataPass webhook secret without echoing it', () => {
    const issues = issuesOf({ ...production, DATAPASS_WEBHOOK_SECRET: 'tooshort123' });
    expect(issues).toEqual(['DATAPASS_WEBHOOK_SECRET: must be at least 16 characters']);
    expect(loadConfig(production).integrations).toEqual({ dataPassWebhookSecret: null, companyDirectoryUrl: 'https://recherche-entreprises.api.gouv.fr', sandboxFranceConnectUrl: null });
  });

  it('accepts SANDBOX_FRANCECONNECT_URL outside production, and in production only with ALLOW_CUSTOM_ENDPOINTS', () => {
    const devBase = { ...dev, DATABASE_URL: 'postgres://localhost/x', QUEUE_BACKEND: 'postgres' };
    expect(loadConfig({ ...devBase, SANDBOX_FRANCECONNECT_URL: 'http://127.0.0.1:4010/' }).integrations.sandboxFranceConnectUrl).toBe('http://127.0.0.1:4010');
    expect(issuesOf({ ...devBase, SANDBOX_FRANCECONNECT_URL: 'ftp://x' })).toEqual([expect.stringMatching(/^SANDBOX_FRANCECONNECT_URL: must be a URL/)]);
    expect(issuesOf({ ...production, SANDBOX_FRANCECONNECT_URL: 'http://127.0.0.1:4010' })).toEqual([expect.stringMatching(/^SANDBOX_FRANCECONNECT_URL: .*ALLOW_CUSTOM_ENDPOINTS/)]);
    expect(() => loadConfig({ ...production, SANDBOX_FRANCECONNECT_URL: 'http://127.0.0.1:4010' })).toThrow(/SANDBOX_FRANCECONNECT_URL/);
    expect(loadConfig({ ...production, ALLOW_CUSTOM_ENDPOINTS: 'true', SANDBOX_FRANCECONNECT_URL: 'http://127.0.0.1:4010' }).integrations.sandboxFranceConnectUrl).toBe('http://127.0.0.1:4010');
  });

  it('requires SMTP in production only', () => {
    const { SMTP_URL: _s, ...withoutSmtp } = production;
    expect(issuesOf(withoutSmtp)).toEqual(['SMTP_URL: is required']);
    expect(loadConfig({ ...dev, DATABASE_URL: 'postgres://localhost/x', QUEUE_BACKEND: 'postgres' }).mail.smtpUrl).toBeNull();
  });

  it('requires https for the public URL in production', () => {
    expect(issuesOf({ ...production, PUBLIC_URL: 'http://x.fr' })).toEqual([expect.stringMatching(/^PUBLIC_URL: must be a URL starting with https:/)]);
  });

  it('requires REDIS_URL only with the redis backend', () => {
    expect(issuesOf({ ...dev, DATABASE_URL: 'postgres://localhost/x' })).toEqual(['REDIS_URL: is required when QUEUE_BACKEND is redis']);
    expect(issuesOf({ ...dev, DATABASE_URL: 'postgres://localhost/x', QUEUE_BACKEND: 'postgres' })).toEqual([]);
  });

  it('treats empty strings as unset and derives the public URL in development', () => {
    const config = loadConfig({ ...dev, DATABASE_URL: 'postgres://localhost/x', QUEUE_BACKEND: 'postgres', PUBLIC_URL: '', PORT: '4000' });
    expect(config.http.publicUrl).toBe('http://localhost:4000');
  });
});

describe('API Particulier settings', () => {
  const base = { DATABASE_URL: 'postgres://u@127.0.0.1/db', QUEUE_BACKEND: 'postgres', SECRETS_KEYS: 'k1:dGVzdC1vbmx5LWtleS0wMDAwMDAwMDAwMDAwMDAwMDA=', SECRETS_ACTIVE_KEY: 'k1' };

  it('has the upstream limits and advice as defaults', async () => {
    const { loadConfig } = await import('./index.js');
    expect(loadConfig(base).apiParticulier).toEqual({
      ipLimitPerMinute: 1000,
      tokenLimitPerSecond: 20,
      timeoutMs: 5000,
      maxAttempts: 5,
      retryBaseDelayMs: 2000,
      citizenDeadlineMs: 10000,
      workerConcurrency: 16,
      workerMaxConcurrency: 128,
      logRetentionDays: 365,
      resultRetentionDays: 30,
      sandboxUrl: null,
    });
  });

  it('names each bad value and refuses results kept longer than the log', async () => {
    const { loadConfig, ConfigError } = await import('./index.js');
    const attempt = (): unknown => loadConfig({ ...base, API_PARTICULIER_IP_LIMIT_PER_MINUTE: '0', API_PARTICULIER_RESULT_RETENTION_DAYS: '200', API_PARTICULIER_LOG_RETENTION_DAYS: '100' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const variables = (error as InstanceType<typeof ConfigError>).issues.map((i) => i.variable).sort();
      expect(variables).toEqual(['API_PARTICULIER_IP_LIMIT_PER_MINUTE', 'API_PARTICULIER_RESULT_RETENTION_DAYS']);
    }
  });

  it('refuses the sandbox stand-in in production unless custom endpoints are allowed', async () => {
    const { loadConfig } = await import('./index.js');
    const production = { ...base, NODE_ENV: 'production', QUEUE_BACKEND: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', SANDBOX_API_PARTICULIER_URL: 'http://127.0.0.1:4020' };
    expect(() => loadConfig(production)).toThrow(/SANDBOX_API_PARTICULIER_URL/);
  });
});

describe('CONFIG_REFERENCE', () => {
  it('documents exactly the variables the schemas read', async () => {
    const { CONFIG_REFERENCE, DATABASE_VARIABLES, HTTP_VARIABLES, LOG_VARIABLES, QUEUE_VARIABLES } = await import('./index.js');
    const { SECRETS_VARIABLES, MAIL_VARIABLES, FEATURES_VARIABLES, INTEGRATIONS_VARIABLES, API_PARTICULIER_VARIABLES, ROBOT_VARIABLES, PROCESS_VARIABLES } = await import('./index.js');
    const read = [
      'NODE_ENV',
      ...HTTP_VARIABLES,
      ...DATABASE_VARIABLES,
      ...QUEUE_VARIABLES,
      ...LOG_VARIABLES,
      ...SECRETS_VARIABLES,
      ...MAIL_VARIABLES,
      ...FEATURES_VARIABLES,
      ...INTEGRATIONS_VARIABLES,
      ...API_PARTICULIER_VARIABLES,
      ...ROBOT_VARIABLES,
      ...PROCESS_VARIABLES,
    ].sort();
    expect(CONFIG_REFERENCE.map((v) => v.name).sort()).toEqual(read);
  });
});
