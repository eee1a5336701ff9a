import { DataSource, type DataSourceOptions, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JsonbColumn, NOW, TextColumn, TimestampColumn, UuidColumn, snakeCaseColumnName } from './columns.js';
import { ENTITIES } from './index.js';

@Entity({ name: 'columns_spec_sample' })
class SampleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UuidColumn()
  tenantId!: string;

  @TextColumn.nullable({ select: false })
  secretCiphertext!: string | null;

  @TimestampColumn.defaultNow()
  createdAt!: Date;

  @TimestampColumn.nullable()
  revokedAt!: Date | null;

  @JsonbColumn({ default: () => "'[]'::jsonb" })
  scopes!: string[];

  @TextColumn({ name: 'datapass_id' })
  dataPassId!: string;
}

/** Metadata as TypeORM builds it for the application, without connecting. */
class UnconnectedDataSource extends DataSource {
  async metadataOf(): Promise<DataSource['entityMetadatas']> {
    await this.buildMetadatas();
    return this.entityMetadatas;
  }
}

const metadataOf = (entities: DataSourceOptions['entities']) => new UnconnectedDataSource({ type: 'postgres', entities }).metadataOf();

describe('column decorators', () => {
  it('names a column after its property in snake_case', () => {
    expect(snakeCaseColumnName('tenantId')).toBe('tenant_id');
    expect(snakeCaseColumnName('absoluteExpiresAt')).toBe('absolute_expires_at');
    expect(snakeCaseColumnName('action')).toBe('action');
  });

  it('gives each column its type, name, nullability, default and selection', async () => {
    const [sample] = await metadataOf([SampleEntity]);
    const columns = Object.fromEntries(
      sample.columns.map((c) => [
        c.propertyName,
        { name: c.databaseName, type: c.type, nullable: c.isNullable, select: c.isSelect, default: typeof c.default === 'function' ? c.default() : c.default },
      ]),
    );
    expect(columns).toEqual({
      id: { name: 'id', type: 'uuid', nullable: false, select: true, default: undefined },
      tenantId: { name: 'tenant_id', type: 'uuid', nullable: false, select: true, default: undefined },
      secretCiphertext: { name: 'secret_ciphertext', type: 'text', nullable: true, select: false, default: undefined },
      createdAt: { name: 'created_at', type: 'timestamptz', nullable: false, select: true, default: NOW() },
      revokedAt: { name: 'revoked_at', type: 'timestamptz', nullable: true, select: true, default: undefined },
      scopes: { name: 'scopes', type: 'jsonb', nullable: false, select: true, default: "'[]'::jsonb" },
      dataPassId: { name: 'datapass_id', type: 'text', nullable: false, select: true, default: undefined },
    });
  });

  it('keeps every entity column named in snake_case, but the DataPass ones the tables spell `datapass_`', async () => {
    const otherwise = (await metadataOf(ENTITIES))
      .flatMap((entity) => entity.columns.map((c) => [`${entity.tableName}.${c.propertyName}`, c.databaseName] as const))
      .filter(([property, name]) => snakeCaseColumnName(property.split('.')[1]) !== name);
    expect(Object.fromEntries(otherwise)).toEqual({
      'datapass_webhook_delivery.dataPassId': 'datapass_id',
      'tenant_habilitation.dataPassId': 'datapass_id',
      'tenant_habilitation.dataPassPublicId': 'datapass_public_id',
      'tenant_habilitation_history.dataPassEvent': 'datapass_event',
      'tenant_habilitation_history.dataPassId': 'datapass_id',
    });
  });
});
