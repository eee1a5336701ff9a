import { AuditLogAndJobOutcome1764000000000 } from './1764000000000-audit-log-and-job-outcome.js';

/** Every migration, in order. Listed explicitly (no glob) so the ESM build needs no loader tricks. */
export const MIGRATIONS = [AuditLogAndJobOutcome1764000000000];
