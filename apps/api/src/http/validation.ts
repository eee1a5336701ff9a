import { AppError, type FieldViolation } from '@fcplat/common';
import { Injectable, type ArgumentMetadata, type CanActivate, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { MULTILINE_TEXT, multilineText } from '@fcplat/contract';

/**
 * Input hygiene, at the edge, for every route: no text field may hold NUL or another control
 * character (C0 but TAB/LF/CR, DEL, C1), which PostgreSQL refuses (22021: 500) or which would
 * reach logs and exports. TAB, LF and CR are accepted only in strings declared multi-line with
 * `multilineText` (libs/contract: comments, reasons, notes). Two entry points, one rule:
 * - {@link ZodPipe} / {@link parseOrThrow}, which know each field's schema (bodies, queries);
 * - {@link InputHygieneGuard}, global and first, for every path parameter and query string (no
 *   line break is ever legitimate there), before authentication and tenant resolution use them;
 * - {@link InputHygienePipe}, global, for any body that no schema checks.
 * Refusals are VALIDATION_FAILED (400) naming each field.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_MESSAGE = 'caractère de contrôle interdit (NUL, tabulation, saut de ligne…)';
const MULTILINE_CONTROL_MESSAGE = 'caractère de contrôle interdit (seuls la tabulation et les sauts de ligne sont acceptés)';

/** Strings marked multi-line by the contract (`multilineText`): TAB, LF and CR accepted there. */
export { multilineText };

type AnySchema = z.core.$ZodType;

/** Whether `schema` (through its wrappers) was declared multi-line. */
function isMultiline(schema: AnySchema | undefined): boolean {
  for (let current = schema, depth = 0; current && depth < 10; depth++) {
    if (MULTILINE_TEXT.has(current as z.ZodType)) return true;
    const def = current._zod.def as { innerType?: AnySchema; in?: AnySchema; type: string };
    current = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return false;
}

/** The schema of the value at `key` under `schema`, as far as it can be told (objects, arrays, records, wrappers, unions). */
function childSchema(schema: AnySchema | undefined, key: string | number): AnySchema[] {
  if (!schema) return [];
  const def = schema._zod.def as {
    type: string;
    innerType?: AnySchema;
    in?: AnySchema;
    shape?: Record<string, AnySchema>;
    element?: AnySchema;
    valueType?: AnySchema;
    options?: AnySchema[];
    left?: AnySchema;
    right?: AnySchema;
    catchall?: AnySchema;
    getter?: () => AnySchema;
  };
  if (def.innerType) return childSchema(def.innerType, key);
  switch (def.type) {
    case 'pipe':
      return childSchema(def.in, key);
    case 'lazy':
      return childSchema(def.getter?.(), key);
    case 'object': {
      const field = def.shape?.[String(key)] ?? def.catchall;
      return field ? [field] : [];
    }
    case 'array':
      return def.element ? [def.element] : [];
    case 'record':
      return def.valueType ? [def.valueType] : [];
    case 'union':
      return (def.options ?? []).flatMap((option) => childSchema(option, key));
    case 'intersection':
      return [...childSchema(def.left, key), ...childSchema(def.right, key)];
    default:
      return [];
  }
}

/**
 * One violation per string (at any depth of `value`) holding a forbidden control character.
 * With a schema, a string declared {@link multilineText} may hold TAB, LF and CR; without one
 * (path parameters, raw queries), no control character at all is accepted. `lenient` treats every
 * string as multi-line (the global pipe's first pass over bodies).
 */
export function controlCharacterViolations(value: unknown, schemas: readonly AnySchema[] = [], path: (string | number)[] = [], lenient = false, depth = 0): FieldViolation[] {
  if (typeof value === 'string') {
    const multiline = lenient || schemas.some(isMultiline);
    if (!(multiline ? CONTROL_CHARACTERS : CONTROL_OR_LINE_BREAK).test(value)) return [];
    return [{ path: path.join('.') || 'corps', message: multiline ? MULTILINE_CONTROL_MESSAGE : CONTROL_MESSAGE }];
  }
  if (depth > 32 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, inner]) => {
    const keyViolations = typeof key === 'string' && CONTROL_OR_LINE_BREAK.test(key) ? [{ path: [...path, '(clé)'].join('.'), message: CONTROL_MESSAGE }] : [];
    return [...keyViolations, ...controlCharacterViolations(inner, schemas.flatMap((s) => childSchema(s, key)), [...path, key], lenient, depth + 1)];
  });
}

/**
 * Global pipe: every controller argument (path parameters, queries, bodies) is checked for control
 * characters before its own pipe runs. Path parameters and queries never accept one; bodies are
 * checked field by field against their schema by {@link ZodPipe}, so here only what no field may
 * ever hold is refused (all but TAB, LF, CR).
 */
@Injectable()
export class InputHygienePipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query' && metadata.type !== 'body') return value;
    const violations = controlCharacterViolations(value, [], metadata.data ? [metadata.data] : [], metadata.type === 'body');
    if (violations.length > 0) throw hygieneError(violations);
    return value;
  }
}

/**
 * Global guard, registered before the others: path parameters and query strings of every route
 * (also those read from the request directly, like the FranceConnect callbacks) hold no control
 * character, before any guard or service uses them.
 */
@Injectable()
export class InputHygieneGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<{ params?: unknown; query?: unknown }>();
    const violations = [...controlCharacterViolations(req.params ?? {}), ...controlCharacterViolations(req.query ?? {})];
    if (violations.length > 0) throw hygieneError(violations);
    return true;
  }
}

function hygieneError(violations: FieldViolation[]): AppError {
  return new AppError('VALIDATION_FAILED', {
    detail: violations.map((v) => `${v.path} : ${v.message}`).join(' ; '),
    violations,
  });
}

/**
 * Validates a body or a query at the edge with a zod schema (use `z.strictObject` so unknown
 * fields are refused). Failures become VALIDATION_FAILED with one violation per field.
 */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    return parseOrThrow(this.schema, value);
  }
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const hygiene = controlCharacterViolations(value, [schema]);
  const result = schema.safeParse(value ?? {});
  if (result.success && hygiene.length === 0) return result.data;
  // Control characters first, then the schema's own findings for the other fields.
  const flagged = new Set(hygiene.map((v) => v.path));
  const issues = (result.success ? [] : result.error.issues).map((issue): FieldViolation => ({ path: issue.path.join('.'), message: frenchMessage(issue) }));
  const violations = [...hygiene, ...issues.filter((v) => !flagged.has(v.path))];
  throw new AppError('VALIDATION_FAILED', {
    detail: violations.map((v) => `${v.path || 'corps'} : ${v.message}`).join(' ; '),
    violations,
  });
}

/** zod's messages are English; schemas may give French ones, the usual cases are translated here. */
function frenchMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `champ(s) inconnu(s) : ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return /received undefined$/.test(issue.message) ? 'champ obligatoire' : `type attendu : ${issue.expected}`;
    case 'invalid_value':
      return `valeur non autorisée (attendu : ${issue.values.map(String).join(', ')})`;
    case 'too_small':
      return issue.origin === 'string' ? `au moins ${String(issue.minimum)} caractère(s)` : `doit être au moins ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `au plus ${String(issue.maximum)} caractère(s)` : `doit être au plus ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'email' ? 'adresse e-mail invalide' : issue.format === 'url' ? 'URL invalide' : 'format invalide';
    default:
      return issue.message;
  }
}

/** The OpenAPI 3.0 schema of a zod schema, for `@ApiBody({ schema })` / responses. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
