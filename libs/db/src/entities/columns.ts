import { Column, type ColumnOptions, type ColumnType } from 'typeorm';

/**
 * Column decorators for the common PostgreSQL types. The column's name is the property's name in
 * snake_case (`tenantId` → `tenant_id`), so it is written once; pass `name` only where the table
 * spells it otherwise (`dataPassId` → `datapass_id`). Other options are TypeORM's:
 *
 * ```ts
 * @TextColumn() action!: string;                      // text NOT NULL
 * @TextColumn.nullable() targetType!: string | null;  // text NULL
 * @TimestampColumn.defaultNow() createdAt!: Date;     // timestamptz NOT NULL DEFAULT now()
 * @TextColumn({ select: false }) tokenHash!: string;
 * ```
 */
export type TypedColumnOptions = Omit<ColumnOptions, 'type'>;

/** `tenantId` → `tenant_id`. */
export function snakeCaseColumnName(property: string): string {
  return property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A column of `type` named after its property, with `.nullable()` for the NULL-able variant. */
function typedColumn(type: ColumnType) {
  const column =
    (options: TypedColumnOptions = {}): PropertyDecorator =>
    (target, property) =>
      Column({ name: snakeCaseColumnName(String(property)), type, ...options })(target, property);
  return Object.assign(column, {
    nullable: (options: TypedColumnOptions = {}): PropertyDecorator => column({ ...options, nullable: true }),
  });
}

/** The database's clock at insert time (`DEFAULT now()`). */
export const NOW = (): string => 'now()';

export const TextColumn = typedColumn('text');
export const UuidColumn = typedColumn('uuid');
export const IntegerColumn = typedColumn('integer');
export const BooleanColumn = typedColumn('boolean');
export const JsonbColumn = typedColumn('jsonb');
export const DateColumn = typedColumn('date');
const timestamptz = typedColumn('timestamptz');
export const TimestampColumn = Object.assign(timestamptz, {
  /** `timestamptz NOT NULL DEFAULT now()`: a creation or last-change time. */
  defaultNow: (options: TypedColumnOptions = {}): PropertyDecorator => timestamptz({ default: NOW, ...options }),
});
