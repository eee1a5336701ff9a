import { z } from 'zod';
import { boundedInt, parseSection, pick, port, url, type ConfigIssue, type Env } from '../env.js';

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  /** Public base URL (scheme + host [+ port]), used for redirect URIs and links. No trailing slash. */
  readonly publicUrl: string;
  readonly bodyLimitBytes: number;
  /** Express `trust proxy` setting: number of reverse proxies in front of the API. */
  readonly trustProxyHops: number;
}

export const HTTP_VARIABLES = ['HOST', 'PORT', 'PUBLIC_URL', 'BODY_LIMIT_BYTES', 'TRUST_PROXY_HOPS'] as const;

export function httpSection(env: Env, isProduction: boolean, issues: ConfigIssue[]): HttpConfig | undefined {
  const schema = z
    .object({
      HOST: z.string().default('127.0.0.1'),
      PORT: port.default(3000),
      PUBLIC_URL: isProduction ? url(['https:']) : url(['http:', 'https:']).optional(),
      BODY_LIMIT_BYTES: boundedInt(1024, 50 * 1024 * 1024).default(1024 * 1024),
      TRUST_PROXY_HOPS: boundedInt(0, 10).default(0),
    })
    .transform((v) => ({
      host: v.HOST,
      port: v.PORT,
      publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
      bodyLimitBytes: v.BODY_LIMIT_BYTES,
      trustProxyHops: v.TRUST_PROXY_HOPS,
    }));
  return parseSection(schema, pick(env, HTTP_VARIABLES), issues);
}
