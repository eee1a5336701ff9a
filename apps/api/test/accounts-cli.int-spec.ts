/**
 * `npm run cli -- accounts:create-admin | accounts:create-token` as an operator runs them: the
 * built CLI (`node apps/api/dist/cli/main.js`, after `npx tsc -b tsconfig.build.json`) against
 * this run's database; the printed link and token then work against the real API.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generate } from 'otplib';
import type { DataSource } from 'typeorm';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { LogCapture, REPO_ROOT, testProcessEnv, withBrowserWriteHeaders } from '@fcplat/testing';
import type { ApiApp } from '../src/app.js';
import { startTestApi, stopTestApi } from './api-harness.js';

describe('accounts CLI (built)', () => {
  let dataSource: DataSource;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;

  beforeAll(async () => {
    ({ dataSource, infrastructure, api } = await startTestApi({ heartbeat: false, logDestination: new LogCapture() }, {}));
  });

  afterAll(() => stopTestApi({ api, infrastructure, dataSource }));

  /** Like spawnBuilt (libs/testing), with arguments and stdout kept apart from stderr. */
  async function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const script = `${REPO_ROOT}/apps/api/dist/cli/main.js`;
    if (!existsSync(script)) throw new Error('apps/api/dist/cli/main.js is not built: run `npx tsc -b tsconfig.build.json` first');
    const child = spawn(process.execPath, [script, ...args], { env: testProcessEnv({ PUBLIC_URL: 'https://console.exemple.test' }), cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    return { code, stdout, stderr };
  }

  async function post(path: string, body: unknown, cookie?: string): Promise<{ status: number; cookie: string | null; body: Record<string, unknown> }> {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: withBrowserWriteHeaders('POST', path, { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }),
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('fcplat_session='));
    return { status: response.status, cookie: setCookie?.split(';')[0] ?? null, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('creates the first admin with a one-time activation link, then prints an API token that works', async () => {
    const email = `premier-admin-${process.pid}-${Date.now().toString(36)}@editeur.test`;
    const created = await run(['accounts:create-admin', '--email', email, '--name', 'Première Admin']);
    expect(created.stderr).toContain('staff administrator');
    expect(created.code).toBe(0);
    const link = created.stdout.trim();
    expect(link).toMatch(/^https:\/\/console\.exemple\.test\/console\/invitation\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(created.stderr).not.toContain(token); // printed once, on stdout only

    const [user] = (await dataSource.query(`SELECT id, kind, staff_role, status FROM app_user WHERE email = $1`, [email])) as {
      id: string;
      kind: string;
      staff_role: string;
      status: string;
    }[];
    expect(user).toMatchObject({ kind: 'staff', staff_role: 'admin', status: 'invited' });
    const userId = user?.id ?? '';

    // Running it again for the pending admin gives a new link and kills the old one.
    const again = await run(['accounts:create-admin', '--email', email, '--name', 'Première Admin']);
    expect(again.code).toBe(0);
    const newToken = new URL(again.stdout.trim()).searchParams.get('token') ?? '';
    expect(newToken).not.toBe(token);
    const password = 'La console est ouverte ce matin';
    expect((await post('/api/auth/invitations/accept', { token, password })).status).toBe(404);
    expect((await post('/api/auth/invitations/accept', { token: newToken, password })).status).toBe(200);

    // The admin logs in and enrols TOTP.
    const login = await post('/api/auth/login', { email, password });
    expect(login.body).toEqual({ next: 'totp_setup' });
    const setup = await post('/api/auth/totp/setup', {}, login.cookie ?? '');
    const secret = new URL(setup.body.otpauthUri as string).searchParams.get('secret') ?? '';
    const activated = await post('/api/auth/totp/activate', { code: await generate({ secret }) }, login.cookie ?? '');
    expect(activated.status).toBe(200);

    // An active admin cannot be "created" again.
    const conflict = await run(['accounts:create-admin', '--email', email, '--name', 'Première Admin']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('CONFLICT');

    const tokenRun = await run(['accounts:create-token', '--email', email, '--name', 'ci', '--days', '7']);
    expect(tokenRun.code).toBe(0);
    const apiToken = tokenRun.stdout.trim();
    expect(apiToken).toMatch(/^fcp_[A-Za-z0-9_-]{43}$/);
    expect(tokenRun.stderr).toContain(apiToken.slice(0, 12));
    expect(tokenRun.stderr).not.toContain(apiToken);
    const me = await fetch(`${api.url}/api/auth/me`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: userId, role: 'admin', via: 'api_token' });
    // The new admin can now invite someone with it.
    const staffList = await fetch(`${api.url}/api/accounts?kind=staff&role=admin&search=${encodeURIComponent(email)}`, { headers: { authorization: `Bearer ${apiToken}` } });
    expect(await staffList.json()).toMatchObject({ total: 1 });

    const audit = (await dataSource.query(
      `SELECT action, actor_type, actor_id FROM audit_log WHERE target_id = $1 OR (action = 'api_token.created' AND changes->'userId'->>'after' = $1) ORDER BY id`,
      [userId],
    )) as { action: string; actor_type: string; actor_id: string | null }[];
    expect(audit).toEqual([
      { action: 'user.invited', actor_type: 'system', actor_id: 'cli' },
      { action: 'user.invitation_renewed', actor_type: 'system', actor_id: 'cli' },
      { action: 'user.activated', actor_type: 'staff', actor_id: userId },
      { action: 'user.totp_activated', actor_type: 'staff', actor_id: userId },
      { action: 'user.logged_in', actor_type: 'staff', actor_id: userId },
      { action: 'api_token.created', actor_type: 'system', actor_id: 'cli' },
    ]);
  }, 60_000);

  it('refuses bad options with usage errors and tokens for accounts that are not active staff', async () => {
    const noEmail = await run(['accounts:create-admin', '--name', 'X']);
    expect(noEmail.code).toBe(2);
    expect(noEmail.stdout).toBe('');
    expect((await run(['accounts:create-admin', '--email', 'pas-une-adresse', '--name', 'X'])).code).toBe(2);
    expect((await run(['accounts:create-token', '--email', 'x@exemple.test', '--name', 'ci', '--days', '0'])).code).toBe(2);
    const unknown = await run(['accounts:create-token', '--email', `inconnu-${Date.now()}@exemple.test`, '--name', 'ci']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
    expect(unknown.stdout).toBe('');
  }, 60_000);
});
