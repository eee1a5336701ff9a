import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { LogConfig } from '@fcplat/config';
import { LOG_SAFE_SERIALIZERS, REDACTED, isSensitiveKey, logSafeFields } from '@fcplat/common';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

/** Reuses a well-formed incoming request id (from a proxy), otherwise makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}

/**
 * Gives the request its id once (the first middleware calls this, before body parsing, so
 * even a refused body gets an id) and echoes it in `X-Request-Id`.
 */
export function assignRequestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const id = requestIdOf(req);
  req.id = id;
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The URL with the values of sensitive query parameters (code, state, token...) hidden. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const question = url.indexOf('?');
  if (question < 0) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  for (const key of [...params.keys()]) if (isSensitiveKey(key)) params.set(key, REDACTED);
  return `${url.slice(0, question)}?${params.toString()}`;
}

/**
 * Structured JSON logs (pino) with one request id per request. Requests are logged with a
 * minimal, allow-listed shape: no headers but the user agent, so no Authorization or Cookie
 * value can reach a log line; redaction paths stay as a second wall for what code logs itself.
 */
export function loggerParams(config: LogConfig, destination?: DestinationStream): Params {
  const options: Options = {
        level: config.level,
        base: { service: 'fcplat-api' },
        genReqId: (req: IncomingMessage, res: ServerResponse) => assignRequestId(req, res),
        customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
        // Errors are logged through an allow-list (libs/common/log-safety.ts): a failing SQL
        // query's text, parameters and driver details never reach a log line.
        formatters: { log: logSafeFields },
        serializers: {
          ...LOG_SAFE_SERIALIZERS,
          req: (req: { id: string; method: string; url: string; headers?: Record<string, string | undefined> }) => ({
            id: req.id,
            method: req.method,
            url: redactUrl(req.url),
            userAgent: req.headers?.['user-agent'],
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            'res.headers["set-cookie"]',
            '*.password',
            '*.client_secret',
            '*.clientSecret',
            '*.token',
            '*.access_token',
            '*.id_token',
          ],
          censor: REDACTED,
        },
        autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
