/**
 * What of an error may reach a log line.
 *
 * A failing SQL query carries the citizen's data in several places: TypeORM's `QueryFailedError`
 * has `.query` and `.parameters` (e-mails, names, ciphertexts...), the driver error has `.detail`
 * ("Key (email)=(jean@exemple.fr) already exists"), `.where`, `.internalQuery`, and even the
 * message may quote a value ("invalid input syntax for type uuid: \"...\""), which the stack's
 * first line repeats. So errors are logged through an allow-list: type, stack frames, stable
 * codes, and for a database error only its SQLSTATE, constraint, table, column, schema and
 * routine. Every logger of the platform (API, worker) uses {@link logSafeError} as its `err`
 * and `error` serializer, and {@link logSafeFields} for Error values under any other key.
 */

export interface LogSafeError {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
  /** A stable code: `AppError` code, Node error code (ECONNREFUSED) or SQLSTATE. */
  readonly code?: string;
  readonly sqlState?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly schema?: string;
  readonly routine?: string;
  readonly status?: number;
  readonly cause?: LogSafeError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$.]{0,127}$/;
const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_DEPTH = 4;

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null;
}

/** A driver (pg) error, or an error wrapping one (TypeORM's QueryFailedError and friends). */
function databaseErrorOf(error: Bag): Bag | null {
  if (isBag(error.driverError)) return error.driverError;
  if ('query' in error && 'parameters' in error) return error;
  if (typeof error.code === 'string' && SQLSTATE.test(error.code) && ('severity' in error || 'routine' in error || 'schema' in error)) return error;
  return null;
}

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}

/** The stack's frames only: its first lines repeat the message, which may quote values. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

function typeOf(error: Bag): string {
  if (typeof error.type === 'string' && IDENTIFIER.test(error.type)) return error.type;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name === 'string' && name !== 'Object' && IDENTIFIER.test(name)) return name;
  return typeof error.name === 'string' && IDENTIFIER.test(error.name) ? error.name : 'Error';
}

/**
 * The log-safe shape of an error (also of an error already turned into a plain object by pino's
 * standard serializer). Database errors keep no message, query, parameter, detail or hint.
 */
export function logSafeError(error: unknown, depth = 0): LogSafeError {
  if (!isBag(error)) return { type: typeof error, message: 'non-error value thrown' };
  const raw = isBag(error.raw) ? error.raw : error; // pino-std-serializers keeps the original in `raw`
  const type = typeOf(raw === error ? error : raw);
  const stack = framesOf(raw.stack ?? error.stack);
  const cause = depth < MAX_DEPTH && isBag(raw.cause) ? logSafeError(raw.cause, depth + 1) : undefined;
  const database = databaseErrorOf(raw);
  if (database) {
    const sqlState = typeof database.code === 'string' && SQLSTATE.test(database.code) ? database.code : undefined;
    return {
      type,
      message: `database error${sqlState ? ` ${sqlState}` : ''} (query, parameters and details withheld)`,
      ...(stack ? { stack } : {}),
      ...(sqlState ? { code: sqlState, sqlState } : {}),
      ...optional('constraint', identifier(database.constraint)),
      ...optional('table', identifier(database.table)),
      ...optional('column', identifier(database.column)),
      ...optional('schema', identifier(database.schema)),
      ...optional('routine', identifier(database.routine)),
      ...(cause ? { cause } : {}),
    };
  }
  const code = typeof raw.code === 'string' && CODE.test(raw.code) ? raw.code : undefined;
  const status = typeof raw.status === 'number' ? raw.status : undefined;
  return {
    type,
    message: typeof raw.message === 'string' ? raw.message : String(raw.message ?? ''),
    ...(stack ? { stack } : {}),
    ...(code ? { code } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(cause ? { cause } : {}),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/**
 * The fields of a log line with every Error value (at the top level, under any key) replaced by
 * its {@link logSafeError} shape: for pino's `formatters.log`.
 */
export function logSafeFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      out ??= { ...fields };
      out[key] = logSafeError(value);
    }
  }
  return out ?? fields;
}

/** pino options shared by every logger of the platform (serializers and formatter above). */
export const LOG_SAFE_SERIALIZERS = {
  err: (error: unknown): unknown => (isBag(error) ? logSafeError(error) : error),
  error: (error: unknown): unknown => (isBag(error) ? logSafeError(error) : error),
} as const;
