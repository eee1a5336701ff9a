import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TextColumn, TimestampColumn, UuidColumn } from '../columns.js';
import type { CommentVisibility } from '@fcplat/domain';

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

  /** `internal`: staff only; `client`: the client's administrators read it too. */
  @TextColumn()
  visibility!: CommentVisibility;

  @TimestampColumn.defaultNow()
  createdAt!: Date;
}
