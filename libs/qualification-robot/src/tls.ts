import { connect, type ConnectionOptions } from 'node:tls';
import type { TlsAttempt, TlsFacts } from './facts.js';

const CLIENT_SIDE = /NO_PROTOCOLS_AVAILABLE|UNSUPPORTED_PROTOCOL|no protocols available|unsupported protocol/i;

/** One handshake with bounded versions; the certificate is not judged here (only the protocol). */
export function tlsAttempt(host: string, port: number, minVersion: TlsAttempt['minVersion'], maxVersion: TlsAttempt['maxVersion'], timeoutMs = 5_000): Promise<TlsAttempt> {
  return new Promise((resolve) => {
    const options: ConnectionOptions = {
      host,
      port,
      minVersion,
      maxVersion,
      rejectUnauthorized: false,
      // OpenSSL 3 refuses TLS < 1.2 at its default security level: lower it so the CLIENT can offer them.
      ciphers: maxVersion === 'TLSv1.1' ? 'DEFAULT:@SECLEVEL=0' : undefined,
      ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
    };
    let settled = false;
    const done = (attempt: TlsAttempt): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(attempt);
    };
    const socket = connect(options, () => done({ minVersion, maxVersion, connected: true, negotiated: socket.getProtocol(), error: null, clientUnsupported: false }));
    socket.setTimeout(timeoutMs, () => done({ minVersion, maxVersion, connected: false, negotiated: null, error: 'TIMEOUT', clientUnsupported: false }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      done({ minVersion, maxVersion, connected: false, negotiated: null, error: code, clientUnsupported: CLIENT_SIDE.test(`${code} ${error.message}`) && !/ALERT/i.test(code) });
    });
  });
}

/** FC-18 facts: TLS ≤ 1.1 (must fail), 1.2 and 1.3 (one must succeed); nothing on an http address. */
export async function observeTls(portalUrl: string): Promise<TlsFacts> {
  const url = new URL(portalUrl);
  if (url.protocol !== 'https:') return { scheme: 'http' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const attempts = [await tlsAttempt(host, port, 'TLSv1', 'TLSv1.1'), await tlsAttempt(host, port, 'TLSv1.2', 'TLSv1.2'), await tlsAttempt(host, port, 'TLSv1.3', 'TLSv1.3')];
  return { scheme: 'https', host, port, attempts };
}
