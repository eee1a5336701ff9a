import { Module } from '@nestjs/common';

/** The tenants area: controllers and services. */
@Module({})
export class TenantsModule {}
