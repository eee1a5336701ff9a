import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CATALOGUE } from '@fcplat/common';
import { problemSchema } from '@fcplat/contract';
import { responseOpenApiSchema } from '../http/endpoint.js';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const OPENAPI_UI_PATH = 'api/docs';

export function buildOpenApiDocument(app: INestApplication, publicUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('fcplat API')
    .setDescription(
      'API of the editor platform that onboards public bodies onto FranceConnect and API Particulier. ' +
        'Errors are `application/problem+json` documents (RFC 9457) with a stable `code`: ' +
        Object.keys(ERROR_CATALOGUE).map((code) => `\`${code}\``).join(', ') +
        '.',
    )
    .setVersion('0.1.0')
    .addServer(publicUrl)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Personal API token of a staff member' })
    .addCookieAuth('fcplat_session', { type: 'apiKey', in: 'cookie', name: 'fcplat_session', description: 'Console session (after password and TOTP); writes made with it also need `Origin` = the platform and `X-CSRF-Token` (the value of the `fcplat_csrf` cookie)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      Problem: responseOpenApiSchema(problemSchema),
    },
  };
  return document;
}

/** Serves the document at `/api/openapi.json` and a browsable UI at `/api/docs`. */
export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'fcplat API — documentation',
  });
}
