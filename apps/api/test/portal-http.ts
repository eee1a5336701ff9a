import { browserWriteHeaders } from '@fcplat/testing';
/** HTTP helpers shared by the portal back-end tests: JSON calls with cookies, test passwords and e-mails. */
export interface PortalReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
  /** Every Set-Cookie header of the answer. */
  readonly setCookies: readonly string[];
  /** `fcplat_citizen_<slug>=<token>` when the answer sets a (non-empty) session cookie of the portal of the path. */
  readonly session: string | null;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly cookies?: readonly (string | null | undefined)[];
  readonly headers?: Record<string, string>;
  /**
   * The platform's public URL: a state-changing call then carries what the portal's front-end
   * sends (`Origin`, and `X-CSRF-Token` when a session cookie of the portal is sent), see
   * `browserWriteHeaders`. Left out: neither is sent (tests of the CSRF refusals).
   */
  readonly publicUrl?: string;
}

export function cookieHeader(cookies: readonly (string | null | undefined)[] | undefined): string | undefined {
  const present = (cookies ?? []).filter((c): c is string => typeof c === 'string' && c.length > 0);
  return present.length > 0 ? present.join('; ') : undefined;
}

/** The `name=value` part of the Set-Cookie named `name`, or null (null too when the cookie is cleared). */
export function setCookieValue(setCookies: readonly string[], name: string): string | null {
  const header = setCookies.find((c) => c.startsWith(`${name}=`));
  const pair = header?.split(';')[0] ?? null;
  return pair && pair !== `${name}=` ? pair : null;
}

export async function portalCall(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<PortalReply> {
  const cookie = cookieHeader(options.cookies);
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  const headers: Record<string, string> = { ...(unsafe && options.publicUrl ? browserWriteHeaders(path, cookie, options.publicUrl) : {}), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  const setCookies = response.headers.getSetCookie();
  let body: Record<string, unknown> = {};
  if (text && (response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text) as Record<string, unknown>;
  const slug = /^\/(?:api\/portal|t)\/([a-z0-9-]+)/.exec(path)?.[1] ?? '';
  return { status: response.status, body, headers: response.headers, setCookies, session: setCookieValue(setCookies, `fcplat_citizen_${slug}`) };
}

/** A strong password for the tests. */
export const goodPassword = (): string => `Un mot de passe solide ${Math.random().toString(36).slice(2)}`;

let counter = 0;
export const uniqueEmail = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}@exemple.test`;
