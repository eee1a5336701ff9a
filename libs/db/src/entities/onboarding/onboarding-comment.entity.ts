import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';

/** A comment on a tenant's onboarding case, by staff or the tenant's administrator. */
@Entity({ name: 'onboarding_comment' })
export class OnboardingCommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  tenantId!: string;

  @UuidColumn.nullable()
  authorId!: string | null;

  @TextColumn()
  authorType!: 'staff' | 'client_admin' | 'api_token';

  /** Display name of the author when the comment was written. */
  @TextColumn()
  authorName!: string;

  @TextColumn()
  body!: string;

  @TimestampColumn.defaultNow()
  createdAt!: Date;
}
