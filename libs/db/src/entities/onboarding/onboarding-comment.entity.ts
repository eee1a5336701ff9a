import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CommentVisibility } from '@fcplat/domain';

/** A comment on a tenant's onboarding case, by staff or the tenant's administrator. */
@Entity({ name: 'onboarding_comment' })
export class OnboardingCommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId!: string | null;

  @Column({ name: 'author_type', type: 'text' })
  authorType!: 'staff' | 'client_admin' | 'api_token';

  /** Display name of the author when the comment was written. */
  @Column({ name: 'author_name', type: 'text' })
  authorName!: string;

  @Column({ type: 'text' })
  body!: string;

  /** `internal`: staff only; `client`: the client's administrators read it too. */
  @Column({ type: 'text' })
  visibility!: CommentVisibility;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
