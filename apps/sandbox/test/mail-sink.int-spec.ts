/**
 * The sandbox mail sink over a real SMTP connection (nodemailer, as the API sends) and its HTTP
 * inbox, inside the sandbox (service `mail`) and standalone; the libs/testing inbox helper.
 */
import { createTransport } from 'nodemailer';
import { MailInbox, linkIn } from '@fcplat/testing';
import { startStandaloneMailSink, type StandaloneMailSink } from '../src/mail-sink.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox.js';

async function send(smtpUrl: string, mail: { to: string; subject: string; text: string; html?: string }): Promise<void> {
  const transport = createTransport({ url: smtpUrl, connectionTimeout: 5_000, socketTimeout: 5_000 });
  try {
    await transport.sendMail({ from: 'fcplat <no-reply@fcplat.localhost>', ...mail });
  } finally {
    transport.close();
  }
}

describe('sandbox mail sink', () => {
  describe('as the sandbox service "mail"', () => {
    let sandbox: RunningSandbox;

    beforeAll(async () => {
      sandbox = await startSandbox();
    });

    afterAll(async () => {
      await sandbox.stop();
    });

    it('runs beside the other stand-ins and exposes its SMTP URL', async () => {
      expect(sandbox.services.map((s) => s.id)).toEqual(['franceconnect', 'api-particulier', 'recherche-entreprises', 'mail']);
      expect(sandbox.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
      for (const service of sandbox.services) {
        const health = await fetch(`${service.url}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok', service: service.id });
      }
    });

    it('receives a message over SMTP and shows it on GET /messages; DELETE /messages empties the inbox', async () => {
      const inbox = new MailInbox(sandbox.url('mail'));
      await send(sandbox.smtpUrl, {
        to: 'Jeanne <Jeanne.Martin@Mairie.test>',
        subject: 'Invitation à la console fcplat',
        text: 'Bonjour,\n\nhttp://localhost:3000/console/invitation?token=abc_DEF-123\n',
        html: '<p>Bonjour, <a href="http://localhost:3000/console/invitation?token=abc_DEF-123">ici</a></p>',
      });
      await send(sandbox.smtpUrl, { to: 'autre@mairie.test', subject: 'Autre', text: 'autre' });

      const message = await inbox.waitFor('jeanne.martin@mairie.test');
      expect(message).toMatchObject({
        to: ['jeanne.martin@mairie.test'],
        from: 'no-reply@fcplat.localhost',
        subject: 'Invitation à la console fcplat',
        headerTo: expect.stringContaining('Jeanne'),
        html: expect.stringContaining('<a href="http://localhost:3000/console/invitation?token=abc_DEF-123">'),
      });
      expect(Date.now() - Date.parse(message.date)).toBeLessThan(10_000);
      expect(linkIn(message.text, '/console/invitation').searchParams.get('token')).toBe('abc_DEF-123');

      const raw = await fetch(`${sandbox.url('mail')}/messages`);
      expect(raw.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const all = (await raw.json()) as { subject: string }[];
      expect(all.map((m) => m.subject)).toEqual(['Autre', 'Invitation à la console fcplat']); // newest first
      expect(await inbox.list('autre@mairie.test')).toHaveLength(1);

      await inbox.clear();
      expect(await inbox.list()).toEqual([]);
      expect((await fetch(`${sandbox.url('mail')}/messages`, { method: 'POST' })).status).toBe(405);
    });
  });

  describe('standalone, with small limits', () => {
    let sink: StandaloneMailSink;

    beforeAll(async () => {
      sink = await startStandaloneMailSink({ maxMessages: 3, sizeLimit: 64 * 1024 });
    });

    afterAll(async () => {
      await sink.stop();
    });

    it('keeps only the last messages (bounded memory)', async () => {
      for (let i = 1; i <= 5; i += 1) await send(sink.smtpUrl, { to: 'borne@exemple.test', subject: `n°${i}`, text: `message ${i}` });
      const kept = await new MailInbox(sink.inboxUrl).list();
      expect(kept.map((m) => m.subject)).toEqual(['n°5', 'n°4', 'n°3']);
    });

    it('refuses a message above the size limit, and keeps working', async () => {
      await expect(send(sink.smtpUrl, { to: 'gros@exemple.test', subject: 'trop gros', text: 'x'.repeat(200 * 1024) })).rejects.toThrow(/552|size/i);
      expect(await new MailInbox(sink.inboxUrl).list('gros@exemple.test')).toEqual([]);
      await send(sink.smtpUrl, { to: 'petit@exemple.test', subject: 'petit', text: 'ok' });
      expect((await new MailInbox(sink.inboxUrl).waitFor('petit@exemple.test')).text.trim()).toBe('ok');
    });

    it('lets a test wait for the n-th message to an address, and fails clearly when it does not come', async () => {
      const inbox = new MailInbox(sink.inboxUrl);
      const waiting = inbox.waitFor('attente@exemple.test', { count: 2, timeoutMs: 5_000 });
      await send(sink.smtpUrl, { to: 'attente@exemple.test', subject: 'premier', text: '1' });
      await send(sink.smtpUrl, { to: 'attente@exemple.test', subject: 'second', text: '2' });
      expect((await waiting).subject).toBe('second');
      await expect(inbox.waitFor('personne@exemple.test', { timeoutMs: 300 })).rejects.toThrow(/e-mail #1 to personne@exemple\.test not met/);
    });
  });
});
