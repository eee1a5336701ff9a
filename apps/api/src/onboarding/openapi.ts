import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse, type ApiResponseSchemaHost } from '@nestjs/swagger';
import { z } from 'zod';
import { openApiSchema } from '../http/validation.js';

type SchemaObject = ApiResponseSchemaHost['schema'];

/** One optional `@ApiQuery` per field of a (strict) zod query schema. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  return applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({ name, required: false, schema: openApiSchema(field as z.ZodType) as SchemaObject }),
    ),
  );
}

/** The OpenAPI schema of a response described by a zod schema. */
export function responseSchema(schema: z.ZodType): SchemaObject {
  return openApiSchema(schema) as SchemaObject;
}

/** The OpenAPI schema of a `Page` of items described by a zod schema. */
export function pageResponseSchema(item: z.ZodType): SchemaObject {
  return responseSchema(
    z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }),
  );
}

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Données invalides (champ inconnu, valeur non autorisée…)',
  401: 'Authentification requise',
  403: 'Rôle insuffisant',
  404: 'Introuvable (ou appartenant à un autre client)',
  409: 'Refusé par les règles métier (motifs dans `reasons`)',
};

/** Documents the problem+json error responses a route may give. */
export function ApiProblems(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Erreur',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );
}
