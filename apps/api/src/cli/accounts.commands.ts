import { z } from 'zod';
import { AppError } from '@fcplat/common';
import { UserEntity, type AuditActor } from '@fcplat/db';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, createInvitedAccount, issueApiToken, renewInvitation } from '../accounts/account-records.js';
import { invitationLink } from '../accounts/account-mails.js';
import { emailSchema } from '@fcplat/contract';
import { option, type CliCommand } from './command.js';

/** Audit actor of every change made from the command line. */
const CLI_ACTOR: AuditActor = { type: 'system', id: 'cli' };

/** Notes for the operator go to stderr; stdout carries only the secret, so scripts can capture it. */
function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

function usage(message: string): number {
  note(`accounts: ${message}`);
  return 2;
}

function parseEmail(raw: string | undefined): string | null {
  const parsed = emailSchema.safeParse(raw ?? '');
  return parsed.success ? parsed.data : null;
}

const nameSchema = z.string().trim().min(1).max(200);

/** Commands about console accounts (first admin, API tokens). Owned by the accounts area. */
export const ACCOUNTS_COMMANDS: CliCommand[] = [
  {
    name: 'accounts:create-admin',
    summary: 'Create a staff administrator and print their one-time activation link (72 h)',
    usage: 'accounts:create-admin --email x@example.fr --name "Jeanne Martin"',
    async run(args, context) {
      const email = parseEmail(option(args, 'email'));
      const name = nameSchema.safeParse(option(args, 'name') ?? '');
      if (!email) return usage('--email must be a valid e-mail address');
      if (!name.success) return usage('--name is required (1 to 200 characters)');
      const dataSource = await context.dataSource();
      const issued = await dataSource.transaction(async (manager) => {
        const existing = await manager.getRepository(UserEntity).findOne({ where: { email } });
        if (!existing) {
          const created = await createInvitedAccount(manager, { email, displayName: name.data, kind: 'staff', staffRole: 'admin', tenantId: null }, CLI_ACTOR, null);
          return { ...created, renewed: false };
        }
        if (existing.kind !== 'staff' || existing.staffRole !== 'admin' || existing.status !== 'invited') {
          throw new AppError('CONFLICT', {
            detail: `an account already exists for ${email} (${existing.kind}, ${existing.status}); use the password reset or the console instead`,
          });
        }
        return { ...(await renewInvitation(manager, existing, CLI_ACTOR, null)), user: existing, renewed: true };
      });
      const link = invitationLink(context.config().http.publicUrl, issued.token);
      note(`${issued.renewed ? 'New activation link for the pending' : 'Created the'} staff administrator ${email} (status: invited).`);
      note(`Give them this link over a trusted channel. It is shown once, works once, and expires on ${issued.expiresAt.toISOString()}.`);
      note('They choose a password there (or with POST /api/auth/invitations/accept {token, password}), then log in and set up TOTP.');
      context.out(link);
      return 0;
    },
  },
  {
    name: 'accounts:create-token',
    summary: 'Print a new personal API token of an active staff member (shown once)',
    usage: `accounts:create-token --email x@example.fr --name ci [--days ${API_TOKEN_DEFAULT_DAYS}]`,
    async run(args, context) {
      const email = parseEmail(option(args, 'email'));
      const name = z.string().trim().min(1).max(100).safeParse(option(args, 'name') ?? '');
      const days = z.coerce.number().int().min(1).max(API_TOKEN_MAX_DAYS).safeParse(option(args, 'days') ?? API_TOKEN_DEFAULT_DAYS);
      if (!email) return usage('--email must be a valid e-mail address');
      if (!name.success) return usage('--name is required (1 to 100 characters)');
      if (!days.success) return usage(`--days must be an integer from 1 to ${API_TOKEN_MAX_DAYS}`);
      const dataSource = await context.dataSource();
      const issued = await dataSource.transaction(async (manager) => {
        const user = await manager.getRepository(UserEntity).findOne({ where: { email } });
        if (!user || user.kind !== 'staff' || user.status !== 'active') {
          throw new AppError('NOT_FOUND', { detail: `no active staff account for ${email}` });
        }
        return issueApiToken(manager, user.id, name.data, days.data, CLI_ACTOR, null);
      });
      note(`API token "${issued.name}" (${issued.prefix}…) for ${email}, expires on ${issued.expiresAt?.toISOString() ?? 'never'}.`);
      note('It is shown once: use it as "Authorization: Bearer <token>"; revoke it with DELETE /api/accounts/me/tokens/' + issued.id + '.');
      context.out(issued.token);
      return 0;
    },
  },
];
