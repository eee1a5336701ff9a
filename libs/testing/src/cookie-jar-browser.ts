/**
 * A minimal cookie jar driven with fetch, redirects not followed (the FranceConnect stand-in's
 * identity picker; the provider's cookies have distinct names; paths are ignored).
 */
export class CookieJarBrowser {
  readonly cookies = new Map<string, string>();

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: this.header(), accept: 'text/html' } });
    this.store(response);
    return response;
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(form).toString(),
    });
    this.store(response);
    return response;
  }
}

/** The Location of a redirect, resolved against `base` (throws when there is none). */
export function locationOf(response: Response, base: string): URL {
  const value = response.headers.get('location');
  if (!value) throw new Error(`no Location (status ${response.status})`);
  return new URL(value, base);
}
