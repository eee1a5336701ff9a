import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { PlatformConfig } from '@fcplat/config';
import { startHeartbeat } from '@fcplat/queue';
import { AppModule } from './app.module.js';
import { bodyErrorHandler, bodyMiddlewares } from './http/body.js';
import { csrfProtection } from './http/csrf.js';
import { builtFrontends, mountFrontends, type Frontend } from './http/frontends.js';
import type { PlatformInfrastructure } from '@fcplat/queue';
import { assignRequestId } from './logging/logger.js';
import { buildOpenApiDocument, mountOpenApi } from './openapi/openapi.js';

export interface ApiApp {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

export interface CreateApiOptions {
  readonly logDestination?: DestinationStream;
  /** Send heartbeats through the queue (off in tests that count jobs). */
  readonly heartbeat?: boolean;
  /** Built front-ends to serve; defaults to those found next to the API. */
  readonly frontends?: readonly Frontend[];
}

/**
 * Builds and starts the HTTP API on the given infrastructure. The caller owns the
 * infrastructure's lifetime (so tests can share one); `close()` stops HTTP then the heartbeat.
 */
export async function startApi(config: PlatformConfig, infrastructure: PlatformInfrastructure, options: CreateApiOptions = {}): Promise<ApiApp> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, infrastructure, options.logDestination),
    new ExpressAdapter(),
    { bodyParser: false, bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxyHops);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'frame-ancestors': ["'none'"], 'img-src': ["'self'", 'data:', 'https:'], 'form-action': ["'self'"], 'upgrade-insecure-requests': config.isProduction ? [] : null },
      },
      frameguard: { action: 'deny' },
      strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    }),
  );
  const logger = app.get(Logger);
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    assignRequestId(req, res);
    next();
  });
  app.use(csrfProtection(config));
  app.use(...bodyMiddlewares(config.http.bodyLimitBytes));
  app.use(bodyErrorHandler((fields) => logger.warn(fields)));
  mountOpenApi(app, buildOpenApiDocument(app, config.http.publicUrl));
  mountFrontends(app, options.frontends ?? builtFrontends());
  await app.listen(config.http.port, config.http.host);
  const stopHeartbeat =
    options.heartbeat === false
      ? () => undefined
      : startHeartbeat(infrastructure.producer, config.queue.heartbeatIntervalSeconds, (error) =>
          logger.warn({ err: error }, 'heartbeat could not be enqueued'),
        );
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      stopHeartbeat();
      await app.close();
    },
  };
}
