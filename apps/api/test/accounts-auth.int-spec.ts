/**
 * Console authentication over real HTTP, PostgreSQL and SMTP (the sandbox mail sink on 127.0.0.1):
 * invitation → e-mail → password → TOTP enrolment → session → logout; password and TOTP failures,
 * lockout, replayed codes, link tokens, password reset, cookie flags, partial sessions.
 */
import { generate } from 'otplib';
import { SecretBox, hashToken } from '@fcplat/crypto';
import { UserEntity, type StaffRole } from '@fcplat/db';
import { withBrowserWriteHeaders, linkIn, makeSessionCookie, makeStaff, makeTenant } from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import { newTotpSecret } from '../src/accounts/totp.js';
import { useAccountsApi } from './accounts-harness.js';
import { uniqueEmail } from './portal-http.js';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
  /** `fcplat_session=<value>` from Set-Cookie, if any. */
  readonly cookie: string | null;
  readonly setCookie: string | null;
}

describe('console authentication (accounts)', () => {
  const accounts = useAccountsApi({ TRUST_PROXY_HOPS: '1' });
  const { logs, platform } = accounts;
  let box: SecretBox;

  beforeAll(() => {
    box = new SecretBox(platform.config.secrets.keyring);
  });

  async function call(method: string, path: string, options: { body?: unknown; cookie?: string | null; authorization?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.cookie) headers.cookie = options.cookie;
    if (options.authorization) headers.authorization = options.authorization;
    const response = await fetch(`${platform.api.url}${path}`, { method, headers: withBrowserWriteHeaders(method, path, headers), body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('fcplat_session=')) ?? null;
    const value = setCookie?.split(';')[0] ?? null;
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
      cookie: value && value !== 'fcplat_session=' ? value : null,
      setCookie,
    };
  }

  const stepOf = (epochSeconds: number): number => Math.floor(epochSeconds / 30);
  const nowStep = (): number => stepOf(Date.now() / 1000);
  const codeAt = (secret: string, step: number): Promise<string> => generate({ secret, epoch: step * 30 });
  const secretOf = (otpauthUri: string): string => new URL(otpauthUri).searchParams.get('secret') ?? '';

  /** An active account with a password and, unless `totp: false`, an authenticator already set up. */
  async function activeUser(options: { role?: StaffRole; tenantId?: string; totp?: boolean } = {}): Promise<{ user: UserEntity; email: string; password: string; secret: string | null }> {
    const email = uniqueEmail('actif');
    const password = `Un mot de passe long ${Math.random().toString(36).slice(2)}`;
    const user = await platform.dataSource.getRepository(UserEntity).save({
      email,
      displayName: 'Camille Test',
      kind: options.tenantId ? 'client_admin' : 'staff',
      staffRole: options.tenantId ? null : (options.role ?? 'onboarding_agent'),
      tenantId: options.tenantId ?? null,
      status: 'active',
      passwordHash: await hashPassword(password),
    });
    let secret: string | null = null;
    if (options.totp !== false) {
      secret = newTotpSecret();
      await platform.dataSource
        .getRepository(UserEntity)
        .update({ id: user.id }, { totpSecretCiphertext: box.encrypt(secret, { tenantId: user.id, field: 'totp_secret' }), totpEnabledAt: new Date() });
    }
    return { user, email, password, secret };
  }

  async function auditActions(userId: string): Promise<string[]> {
    const rows = (await platform.dataSource.query(`SELECT action FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id`, [userId])) as { action: string }[];
    return rows.map((r) => r.action);
  }

  /** Password + TOTP at `step`; returns the full session cookie. */
  async function logIn(email: string, password: string, secret: string, step: number): Promise<string> {
    const login = await call('POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const totp = await call('POST', '/api/auth/totp', { cookie: login.cookie, body: { code: await codeAt(secret, step) } });
    expect(totp.status).toBe(200);
    return totp.cookie ?? '';
  }

  it('takes an invited staff member from the e-mail to a working session, then logs out for good', async () => {
    const admin = await makeStaff(platform.dataSource, 'admin');
    const email = uniqueEmail('invite');
    const invited = await call('POST', '/api/accounts/staff', { authorization: admin.authorization, body: { email: email.toUpperCase(), displayName: 'Jeanne Martin', role: 'onboarding_agent' } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ user: { email, status: 'invited', kind: 'staff', role: 'onboarding_agent', totpEnabled: false }, invitation: { sent: true } });
    const userId = (invited.body.user as { id: string }).id;

    // The e-mail crossed a real SMTP connection to the sink.
    const mail = await accounts.inbox.waitFor(email, { subject: /Invitation/ });
    expect(mail.text).toContain('Bonjour Jeanne Martin');
    expect(mail.html).toContain('Activer mon compte');
    const link = linkIn(mail.text, '/console/invitation');
    expect(`${link.origin}`).toBe(platform.config.http.publicUrl);
    const token = link.searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThanOrEqual(43);
    // Only the hash of the link token is stored, and the link never reaches the logs.
    const stored = (await platform.dataSource.query(`SELECT token_hash FROM user_one_time_token WHERE user_id = $1`, [userId])) as { token_hash: string }[];
    expect(stored).toEqual([{ token_hash: hashToken(token) }]);
    expect(logs.text).not.toContain(token);

    const password = 'Trois chevaux verts au galop';
    const accepted = await call('POST', '/api/auth/invitations/accept', { body: { token, password, displayName: 'Jeanne M.' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ email, next: 'login' });
    const [row] = (await platform.dataSource.query(`SELECT password_hash, status, display_name FROM app_user WHERE id = $1`, [userId])) as {
      password_hash: string;
      status: string;
      display_name: string;
    }[];
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row).toMatchObject({ status: 'active', display_name: 'Jeanne M.' });

    const login = await call('POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ next: 'totp_setup' });
    expect(login.setCookie).toMatch(/; HttpOnly/);
    expect(login.setCookie).toMatch(/; SameSite=Lax/);
    expect(login.setCookie).toMatch(/; Path=\//);
    expect(login.setCookie).not.toMatch(/; Secure/); // development; production adds Secure
    const pending = login.cookie ?? '';

    // A password-only session reaches nothing but the TOTP routes.
    expect((await call('GET', '/api/auth/me', { cookie: pending })).status).toBe(401);
    expect((await call('GET', '/api/accounts', { cookie: pending })).status).toBe(401);
    expect((await call('POST', '/api/accounts/me/tokens', { cookie: pending, body: { name: 'x' } })).status).toBe(401);

    const setup = await call('POST', '/api/auth/totp/setup', { cookie: pending });
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/fcplat:.+\?secret=[A-Z2-7]+&issuer=fcplat/);
    expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret = secretOf(setup.body.otpauthUri as string);
    expect(setup.body.secret).toBe(secret);
    const [stored2] = (await platform.dataSource.query(`SELECT totp_secret_ciphertext, totp_enabled_at FROM app_user WHERE id = $1`, [userId])) as {
      totp_secret_ciphertext: string;
      totp_enabled_at: Date | null;
    }[];
    expect(stored2?.totp_secret_ciphertext).toMatch(/^v1\.test1\./);
    expect(stored2?.totp_secret_ciphertext).not.toContain(secret);
    expect(stored2?.totp_enabled_at).toBeNull();

    const wrong = await call('POST', '/api/auth/totp/activate', { cookie: pending, body: { code: (Number(await codeAt(secret, nowStep())) ^ 1).toString().padStart(6, '0') } });
    expect(wrong.status).toBe(401);
    const activated = await call('POST', '/api/auth/totp/activate', { cookie: pending, body: { code: await codeAt(secret, nowStep()) } });
    expect(activated.status).toBe(200);
    expect(activated.body).toEqual({ status: 'authenticated' });
    const session = activated.cookie ?? '';
    expect(session).toMatch(/^fcplat_session=.{43}$/);
    expect(session).not.toBe(pending); // a new session token after the second factor
    expect(activated.setCookie).toMatch(/; HttpOnly/);
    expect(activated.setCookie).toMatch(/; SameSite=Lax/);

    const me = await call('GET', '/api/auth/me', { cookie: session });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: userId, kind: 'staff', role: 'onboarding_agent', tenantId: null, email, displayName: 'Jeanne M.', totpEnabled: true, via: 'session' });
    expect(me.headers.get('cache-control')).toBe('no-store');
    // The pending session is gone: neither it nor a replay of the setup works.
    expect((await call('GET', '/api/auth/me', { cookie: pending })).status).toBe(401);
    expect((await call('POST', '/api/auth/totp', { cookie: pending, body: { code: await codeAt(secret, nowStep() + 1) } })).status).toBe(401);
    // Staff endpoints now answer.
    expect((await call('GET', `/api/accounts?search=${encodeURIComponent(email)}`, { cookie: session })).status).toBe(200);

    const out = await call('POST', '/api/auth/logout', { cookie: session });
    expect(out.status).toBe(204);
    expect(out.setCookie).toMatch(/^fcplat_session=;/);
    expect(out.setCookie).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await call('GET', '/api/auth/me', { cookie: session })).status).toBe(401);

    expect(await auditActions(userId)).toEqual(['user.invited', 'user.activated', 'user.totp_activated', 'user.logged_in']);
    const audit = (await platform.dataSource.query(`SELECT changes::text AS changes FROM audit_log WHERE target_id = $1`, [userId])) as { changes: string }[];
    for (const entry of audit) {
      expect(entry.changes).not.toContain(password);
      expect(entry.changes).not.toContain(secret);
    }
    expect(logs.text).not.toContain(password);
    expect(logs.text).not.toContain(secret);
  });

  it('refuses a TOTP code that was already used, and accepts the next one', async () => {
    const { user, email, password, secret } = await activeUser();
    const step = nowStep();
    const code = await codeAt(secret ?? '', step);
    const first = await call('POST', '/api/auth/login', { body: { email, password } });
    expect(first.body).toEqual({ next: 'totp' });
    expect((await call('POST', '/api/auth/totp', { cookie: first.cookie, body: { code } })).status).toBe(200);

    const second = await call('POST', '/api/auth/login', { body: { email, password } });
    const replay = await call('POST', '/api/auth/totp', { cookie: second.cookie, body: { code } });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('déjà utilisé') });
    const next = await call('POST', '/api/auth/totp', { cookie: second.cookie, body: { code: await codeAt(secret ?? '', step + 1) } });
    expect(next.status).toBe(200);
    const [row] = (await platform.dataSource.query(`SELECT totp_last_time_step, failed_login_count FROM app_user WHERE id = $1`, [user.id])) as {
      totp_last_time_step: number;
      failed_login_count: number;
    }[];
    expect(row).toEqual({ totp_last_time_step: step + 1, failed_login_count: 0 });
  });

  it('answers a wrong password, an unknown e-mail and a not yet activated account alike', async () => {
    const { email } = await activeUser();
    const invitedEmail = uniqueEmail('pas-active');
    await platform.dataSource.getRepository(UserEntity).save({ email: invitedEmail, displayName: 'Invité', kind: 'staff', staffRole: 'read_only', tenantId: null, status: 'invited' });
    const timed = async (body: { email: string; password: string }): Promise<{ reply: Reply; ms: number }> => {
      const started = performance.now();
      const reply = await call('POST', '/api/auth/login', { body });
      return { reply, ms: performance.now() - started };
    };
    const rounds = { wrong: [] as number[], unknown: [] as number[], invited: [] as number[] };
    for (let round = 0; round < 5; round += 1) {
      const attempts = {
        wrong: await timed({ email, password: 'pas le bon mot de passe' }),
        unknown: await timed({ email: uniqueEmail('inconnu'), password: 'pas le bon mot de passe' }),
        invited: await timed({ email: invitedEmail, password: 'pas le bon mot de passe' }),
      };
      for (const [kind, { reply, ms }] of Object.entries(attempts) as [keyof typeof rounds, { reply: Reply; ms: number }][]) {
        expect(reply.status).toBe(401);
        expect(reply.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Adresse e-mail ou mot de passe incorrect.' });
        expect(reply.cookie).toBeNull();
        rounds[kind].push(ms);
      }
    }
    // Unknown e-mails and accounts without a password are checked against a dummy argon2id hash:
    // no fast path tells them apart. A ratio, not a duration, with a wide margin: without the dummy
    // hash the unknown e-mail answers ~50x faster (fastest of 5, to resist parallel suites).
    const fastest = (times: number[]): number => Math.min(...times);
    expect(fastest(rounds.unknown)).toBeGreaterThan(fastest(rounds.wrong) * 0.3);
    expect(fastest(rounds.invited)).toBeGreaterThan(fastest(rounds.wrong) * 0.3);
  });

  /** A login attempt from a given source address (the API trusts one proxy hop in this file). */
  const loginFrom = (ip: string, email: string, password: string) => call('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });
  /** A problem document without what differs by request (its instance path is the same; the request id is not). */
  const comparable = (reply: Reply) => ({ status: reply.status, retryAfter: reply.headers.get('retry-after'), body: { ...reply.body, requestId: undefined, instance: undefined } });

  it('never locks an account on wrong passwords (admins included): ten from anywhere leave the owner free to log in from elsewhere', async () => {
    // Issue 12, item 8: ten wrong passwords used to lock any account for 15 minutes, repeatable forever.
    const { user, email, password } = await activeUser({ role: 'admin' });
    for (let i = 0; i < 10; i += 1) expect((await loginFrom(`198.51.100.${10 + i}`, email, `faux ${i} mot de passe`)).status).toBe(401);
    const owner = await loginFrom('192.0.2.44', email, password);
    expect(owner.status).toBe(200);
    expect(owner.body).toEqual({ next: 'totp' });
    const [row] = (await platform.dataSource.query(`SELECT locked_until FROM app_user WHERE id = $1`, [user.id])) as { locked_until: Date | null }[];
    expect(row?.locked_until).toBeNull();
  });

  it('slows one source down on one e-mail (5 free failures, then growing waits), with the same answer for a known account and an unknown e-mail', async () => {
    const { email, password } = await activeUser({ role: 'admin' });
    const unknown = uniqueEmail('inconnu');
    const known: Reply[] = [];
    const ghost: Reply[] = [];
    for (let i = 0; i < 6; i += 1) {
      known.push(await loginFrom('198.51.100.200', email, `faux ${i} mot de passe`));
      ghost.push(await loginFrom('198.51.100.201', unknown, `faux ${i} mot de passe`));
    }
    expect(known.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(known.map(comparable)).toEqual(ghost.map(comparable));
    expect(known[5]?.body).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringMatching(/Trop de tentatives/) });
    expect(Number(known[5]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    // Even the right password waits, from that source only…
    expect((await loginFrom('198.51.100.200', email, password)).status).toBe(429);
    // …and the same account from another source is not slowed.
    expect((await loginFrom('198.51.100.202', email, password)).status).toBe(200);
  });

  it('answers a locked account (second-factor lock) exactly like an unknown e-mail at the password step; the lock shows only after the right password', async () => {
    const { user, email, password, secret } = await activeUser();
    await platform.dataSource.query(`UPDATE app_user SET locked_until = now() + interval '10 minutes' WHERE id = $1`, [user.id]);
    const lockedWrong = await loginFrom('198.51.100.210', email, 'pas le bon mot de passe');
    const unknownWrong = await loginFrom('198.51.100.211', uniqueEmail('inconnu'), 'pas le bon mot de passe');
    expect(comparable(lockedWrong)).toEqual(comparable(unknownWrong));
    expect(lockedWrong.status).toBe(401);
    const right = await loginFrom('198.51.100.210', email, password);
    expect(right.status).toBe(200);
    const totp = await call('POST', '/api/auth/totp', { cookie: right.cookie, body: { code: await codeAt(secret ?? '', nowStep()) } });
    expect(totp.status).toBe(429);
  });

  it('e-mails the owner and the staff administrators once per attack window when an account is under attack (audited once)', async () => {
    const admin = await activeUser({ role: 'admin' });
    const target = await activeUser({ role: 'onboarding_agent' });
    const subject = /Tentatives de connexion répétées/;
    for (let i = 0; i < 13; i += 1) expect((await loginFrom(`203.0.113.${100 + i}`, target.email, `faux ${i} mot de passe`)).status).toBe(401);
    const toOwner = await accounts.inbox.waitFor(target.email, { subject });
    expect(toOwner.text).toContain(target.email);
    expect(toOwner.text).toMatch(/n’est pas bloqué/);
    const toAdmin = await accounts.inbox.waitFor(admin.email, { subject });
    expect(toAdmin.text).toContain(target.email);
    // Once per window, not per attempt (13 failures, one message each).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await accounts.inbox.list(target.email)).filter((m) => subject.test(m.subject))).toHaveLength(1);
    expect((await accounts.inbox.list(admin.email)).filter((m) => subject.test(m.subject))).toHaveLength(1);
    expect(await auditActions(target.user.id)).toEqual(['user.login_attack_alerted']);
    // Nothing a stranger typed is in it.
    expect(toOwner.text).not.toMatch(/faux \d+ mot de passe/);
  });

  it('counts wrong TOTP codes towards the lockout; a correct code does not pass a locked account', async () => {
    const { user, email, password, secret } = await activeUser();
    const login = await call('POST', '/api/auth/login', { body: { email, password } });
    const good = await codeAt(secret ?? '', nowStep());
    const bad = good === '000000' ? '000001' : '000000';
    for (let i = 0; i < 9; i += 1) {
      const reply = await call('POST', '/api/auth/totp', { cookie: login.cookie, body: { code: bad } });
      expect(reply.status).toBe(401);
    }
    const tenth = await call('POST', '/api/auth/totp', { cookie: login.cookie, body: { code: bad } });
    expect(tenth.status).toBe(429);
    const afterLock = await call('POST', '/api/auth/totp', { cookie: login.cookie, body: { code: good } });
    expect(afterLock.status).toBe(429);
    expect(afterLock.cookie).toBeNull();
    expect(await auditActions(user.id)).toEqual(['user.locked']);
  });

  it('refuses malformed codes and unknown fields with 400, and the TOTP routes without a pending session with 401', async () => {
    const { email, password } = await activeUser();
    const login = await call('POST', '/api/auth/login', { body: { email, password } });
    expect((await call('POST', '/api/auth/totp', { cookie: login.cookie, body: { code: '12ab56' } })).status).toBe(400);
    expect((await call('POST', '/api/auth/login', { body: { email, password, remember: true } })).status).toBe(400);
    expect((await call('POST', '/api/auth/totp', { body: { code: '123456' } })).status).toBe(401);
    expect((await call('POST', '/api/auth/totp/setup', {})).status).toBe(401);
    // An account with an authenticator cannot enrol another one from the password step.
    expect((await call('POST', '/api/auth/totp/setup', { cookie: login.cookie })).status).toBe(409);
  });

  it('refuses an expired, a used or an unknown invitation link, and weak passwords without consuming the link', async () => {
    const admin = await makeStaff(platform.dataSource, 'admin');
    const email = uniqueEmail('lien');
    const invited = await call('POST', '/api/accounts/staff', { authorization: admin.authorization, body: { email, displayName: 'Lien Test', role: 'read_only' } });
    const userId = (invited.body.user as { id: string }).id;
    const token = linkIn((await accounts.inbox.waitFor(email)).text, '/console/invitation').searchParams.get('token') ?? '';

    for (const [password, message] of [
      ['court', 'au moins 12 caractères'],
      [email, 'ne doit pas être votre adresse e-mail'],
      ['MotDePasse123', 'trop courant'],
      ['aaaaaaaaaaaaaaaa', 'trop peu de caractères différents'],
    ] as const) {
      const weak = await call('POST', '/api/auth/invitations/accept', { body: { token, password } });
      expect(weak.status).toBe(400);
      expect(weak.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: expect.arrayContaining([{ path: 'password', message: expect.stringContaining(message) }]) });
    }
    expect((await call('POST', '/api/auth/invitations/accept', { body: { token: 'inconnu', password: 'Un mot de passe solide 42' } })).status).toBe(404);

    await platform.dataSource.query(`UPDATE user_one_time_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [userId]);
    const expired = await call('POST', '/api/auth/invitations/accept', { body: { token, password: 'Un mot de passe solide 42' } });
    expect(expired.status).toBe(404);
    expect(expired.body).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('expiré') });
    const [still] = (await platform.dataSource.query(`SELECT status, password_hash FROM app_user WHERE id = $1`, [userId])) as { status: string; password_hash: string | null }[];
    expect(still).toEqual({ status: 'invited', password_hash: null });

    // A new invitation (the old link stays dead), used once, then refused.
    const resent = await call('POST', `/api/accounts/${userId}/invitation`, { authorization: admin.authorization });
    expect(resent.status).toBe(201);
    const fresh = linkIn((await accounts.inbox.waitFor(email, { count: 2 })).text, '/console/invitation').searchParams.get('token') ?? '';
    expect(fresh).not.toBe(token);
    expect((await call('POST', '/api/auth/invitations/accept', { body: { token: fresh, password: 'Un mot de passe solide 42' } })).status).toBe(200);
    expect((await call('POST', '/api/auth/invitations/accept', { body: { token: fresh, password: 'Un autre mot de passe 43' } })).status).toBe(404);
    // Once active, an invitation cannot be resent.
    expect((await call('POST', `/api/accounts/${userId}/invitation`, { authorization: admin.authorization })).status).toBe(409);
  });

  it('resets a forgotten password by e-mail without telling which addresses exist, and ends every session', async () => {
    const { user, email, password, secret } = await activeUser();
    const oldSession = await makeSessionCookie(platform.dataSource, user.id);
    expect((await call('GET', '/api/auth/me', { cookie: oldSession })).status).toBe(200);

    const unknownEmail = uniqueEmail('personne');
    const known = await call('POST', '/api/auth/password-reset/request', { body: { email } });
    const unknown = await call('POST', '/api/auth/password-reset/request', { body: { email: unknownEmail } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(known.body).toEqual({ status: 'accepted' });

    const mail = await accounts.inbox.waitFor(email, { subject: /Réinitialisation/ });
    const token = linkIn(mail.text, '/console/password-reset').searchParams.get('token') ?? '';
    expect(logs.text).not.toContain(token);

    const newPassword = 'Une toute nouvelle phrase secrète';
    expect((await call('POST', '/api/auth/password-reset/complete', { body: { token, password: 'trop court' } })).status).toBe(400);
    const done = await call('POST', '/api/auth/password-reset/complete', { body: { token, password: newPassword } });
    expect(done.status).toBe(204);
    expect((await call('GET', '/api/auth/me', { cookie: oldSession })).status).toBe(401);
    expect((await call('POST', '/api/auth/password-reset/complete', { body: { token, password: 'Encore une autre phrase' } })).status).toBe(404);

    expect((await call('POST', '/api/auth/login', { body: { email, password } })).status).toBe(401);
    const session = await logIn(email, newPassword, secret ?? '', nowStep());
    expect((await call('GET', '/api/auth/me', { cookie: session })).status).toBe(200);
    expect(await auditActions(user.id)).toEqual(['user.password_changed', 'user.logged_in']);
    const [audit] = (await platform.dataSource.query(`SELECT changes FROM audit_log WHERE target_id = $1 AND action = 'user.password_changed'`, [user.id])) as {
      changes: Record<string, unknown>;
    }[];
    expect(audit?.changes).toMatchObject({ method: 'reset_link', sessionsRevoked: 1 });

    // Nothing was ever sent to the unknown address.
    await new Promise((r) => setTimeout(r, 300));
    expect(await accounts.inbox.list(unknownEmail)).toEqual([]);
  });

  it('limits password reset requests per address and IP', async () => {
    const email = uniqueEmail('limite');
    const replies = [];
    for (let i = 0; i < 4; i += 1) replies.push(await call('POST', '/api/auth/password-reset/request', { body: { email } }));
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 429]);
    expect(replies[3]?.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(replies[3]?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('ends a session on logout even before the second factor, and a new login revokes the previous cookie', async () => {
    const { email, password, secret } = await activeUser();
    const pending = await call('POST', '/api/auth/login', { body: { email, password } });
    expect((await call('POST', '/api/auth/logout', { cookie: pending.cookie })).status).toBe(204);
    expect((await call('POST', '/api/auth/totp', { cookie: pending.cookie, body: { code: await codeAt(secret ?? '', nowStep()) } })).status).toBe(401);

    const again = await call('POST', '/api/auth/login', { body: { email, password } });
    const relogin = await call('POST', '/api/auth/login', { cookie: again.cookie, body: { email, password } });
    expect(relogin.status).toBe(200);
    expect(relogin.cookie).not.toBe(again.cookie);
    expect((await call('POST', '/api/auth/totp', { cookie: again.cookie, body: { code: await codeAt(secret ?? '', nowStep()) } })).status).toBe(401);
    expect((await call('POST', '/api/auth/logout', {})).status).toBe(204);
  });

  it('lets a client administrator log in and see who they are', async () => {
    const tenantId = (await makeTenant(platform.dataSource)).id;
    const { user, email, password, secret } = await activeUser({ tenantId });
    const session = await logIn(email, password, secret ?? '', nowStep());
    const me = await call('GET', '/api/auth/me', { cookie: session });
    expect(me.body).toMatchObject({ id: user.id, kind: 'client_admin', role: null, tenantId, email });
    expect((await call('GET', '/api/accounts', { cookie: session })).status).toBe(403);
  });
});
