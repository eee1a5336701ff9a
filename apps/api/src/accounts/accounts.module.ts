import { Module } from '@nestjs/common';

/** The accounts area: controllers and services. */
@Module({})
export class AccountsModule {}
