import { AuditLogEntity } from './audit-log.entity.js';
import { JobOutcomeEntity } from './job-outcome.entity.js';

export * from './audit-log.entity.js';
export * from './job-outcome.entity.js';

export const ENTITIES = [AuditLogEntity, JobOutcomeEntity];
