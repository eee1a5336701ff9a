import { applyDecorators, Body, HttpCode, Query, RequestMapping, RequestMethod } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiProduces, ApiQuery, ApiResponse, type ApiResponseSchemaHost } from '@nestjs/swagger';
import { ROUTES, ROUTE_SCHEMAS, type ResponseOf, type RouteName, type RouteSchemas, type RouteSpec } from '@fcplat/contract';
import { z } from 'zod';
import { openApiSchema, ZodPipe } from './validation.js';

type SchemaObject = ApiResponseSchemaHost['schema'];
type JsonObjectSchema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/** The OpenAPI schema of an answer: what the API sends (`io: 'output'`). */
export function responseOpenApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' }) as SchemaObject;
}

/** What a handler of route `N` may return: the route's response type, or anything for 204 answers and files. */
type HandlerResult<N extends RouteName> = ResponseOf<N> extends undefined ? unknown : ResponseOf<N> | Promise<ResponseOf<N>>;

/** A method decorator that only accepts handlers returning what the contract says route `N` answers. */
type EndpointDecorator<N extends RouteName> = <T extends (...args: never) => HandlerResult<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => void;

const NEST_METHODS = { GET: RequestMethod.GET, POST: RequestMethod.POST, PUT: RequestMethod.PUT, PATCH: RequestMethod.PATCH, DELETE: RequestMethod.DELETE } as const;

/** `/api/tenants/{tenantId}/x` → `api/tenants/:tenantId/x` (Express's syntax; the controller has no prefix). */
export function nestPath(template: string): string {
  return template.replace(/^\//, '').replace(/\{([A-Za-z]+)\}/g, ':$1');
}

/** One `@ApiQuery` per property of a query schema (required when the caller must send it). */
function queryDecorators(schema: z.ZodType): MethodDecorator[] {
  const json = openApiSchema(schema) as JsonObjectSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) =>
    ApiQuery({ name, required: required.has(name) && property['default'] === undefined, schema: property as SchemaObject, description: property['description'] as string | undefined }),
  );
}

/** One `@ApiParam` per property of a path parameters schema. */
function paramDecorators(schema: z.ZodType): MethodDecorator[] {
  const json = openApiSchema(schema) as JsonObjectSchema;
  return Object.entries(json.properties ?? {}).map(([name, property]) => ApiParam({ name, schema: property as SchemaObject, description: property['description'] as string | undefined }));
}

/** Text files are documented as strings, the others (images, PDF) as binary. */
function fileSchema(type: string): SchemaObject {
  return type.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' };
}

/**
 * Declares a handler as route `name` of the contract (libs/contract): its method and path, its
 * success status, and its OpenAPI description (path parameters, query, body and answer, generated
 * from the contract's zod schemas). The compiler checks that the handler returns what the contract
 * says the route answers. The controller must have no path prefix (`@Controller()`), since the
 * contract's path is the whole path. Validate the body and the query with {@link ContractBody} and
 * {@link ContractQuery}.
 */
export function Endpoint<N extends RouteName>(name: N): EndpointDecorator<N> {
  const route: RouteSpec = ROUTES[name];
  const schemas: RouteSchemas = ROUTE_SCHEMAS[name];
  const decorators: MethodDecorator[] = [RequestMapping({ path: nestPath(route.path), method: NEST_METHODS[route.method] }), HttpCode(route.status)];
  if (schemas.params) decorators.push(...paramDecorators(schemas.params));
  if (schemas.query) decorators.push(...queryDecorators(schemas.query));
  const { rawBody, produces } = route;
  if (rawBody) decorators.push(ApiConsumes(rawBody), ApiBody({ schema: fileSchema(rawBody) }));
  else if (schemas.body) decorators.push(ApiBody({ schema: openApiSchema(schemas.body) as SchemaObject }));
  if (produces) {
    decorators.push(ApiProduces(produces), ApiResponse({ status: route.status, description: `A file (${produces})`, content: { [produces]: { schema: fileSchema(produces) } } }));
  } else if (schemas.response) {
    decorators.push(ApiResponse({ status: route.status, description: 'Success', schema: responseOpenApiSchema(schemas.response) }));
  } else {
    decorators.push(ApiResponse({ status: route.status, description: 'Done' }));
  }
  return applyDecorators(...decorators) as EndpointDecorator<N>;
}

function schemaOf(name: RouteName, part: 'body' | 'query'): z.ZodType {
  const schema = (ROUTE_SCHEMAS[name] as RouteSchemas)[part];
  if (!schema) throw new Error(`route ${name} of the contract has no ${part} schema`);
  return schema;
}

/** The JSON body of route `name`, validated by its contract schema (VALIDATION_FAILED otherwise). */
export function ContractBody(name: RouteName): ParameterDecorator {
  return Body(new ZodPipe(schemaOf(name, 'body')));
}

/** The query of route `name`, validated by its contract schema (VALIDATION_FAILED otherwise). */
export function ContractQuery(name: RouteName): ParameterDecorator {
  return Query(new ZodPipe(schemaOf(name, 'query')));
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
