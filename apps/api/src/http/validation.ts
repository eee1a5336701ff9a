import { AppError, type FieldViolation } from '@fcplat/common';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';

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
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', {
    detail: result.error.issues.map((issue) => `${issue.path.join('.') || 'corps'} : ${frenchMessage(issue)}`).join(' ; '),
    violations: result.error.issues.map((issue): FieldViolation => ({ path: issue.path.join('.'), message: frenchMessage(issue) })),
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
