import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** Reading the audit log (writing is `appendAudit` from @fcplat/db, in each command's transaction). */
@Module({ controllers: [AuditController], providers: [AuditService] })
export class AuditModule {}
