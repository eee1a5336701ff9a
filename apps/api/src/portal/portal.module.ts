import { Module } from '@nestjs/common';

/** The citizen portal's back-end: FranceConnect routes, citizen accounts and sessions. */
@Module({})
export class PortalModule {}
