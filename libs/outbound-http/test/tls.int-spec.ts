/**
 * TLS under SR-07 against real HTTPS servers with certificates generated at test time by `openssl`
 * (the suite is skipped when `openssl` is not installed): verification always on, an extra CA only
 * when given, hostnames checked, anything below TLS 1.2 refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboundTlsError, request } from '@fcplat/outbound-http';
import { opensslAvailable, selfSignedPair, type KeyPair } from '@fcplat/testing';
import { startServer, type TestServer } from './servers.js';

const describeTls = opensslAvailable() ? describe : describe.skip;

describeTls('request over TLS', () => {
  let dir: string;
  let loopback: KeyPair;
  let otherHost: KeyPair;
  const servers: TestServer[] = [];

  async function httpsServer(pair: KeyPair, extra: ServerOptions = {}): Promise<TestServer> {
    const server = createServer({ key: pair.key, cert: pair.cert, ...extra }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"secure":true}');
    });
    server.on('tlsClientError', () => undefined);
    const running = await startServer(server, 'https');
    servers.push(running);
    return running;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fcplat-tls-'));
    loopback = selfSignedPair(dir, 'localhost', 'DNS:localhost,IP:127.0.0.1');
    otherHost = selfSignedPair(dir, 'other.test', 'DNS:other.test');
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('talks to a server whose certificate is trusted through `ca`', async () => {
    const server = await httpsServer(loopback);
    const response = await request({ url: `${server.url}/`, ca: loopback.cert });
    expect(response.json()).toEqual({ secure: true });
    // Also by name, which exercises SNI and the DNS SAN.
    const byName = await request({ url: `https://localhost:${server.port}/`, ca: loopback.cert });
    expect(byName.status).toBe(200);
  });

  it('refuses an untrusted certificate (no way to turn verification off)', async () => {
    const server = await httpsServer(loopback);
    const error = await request({ url: `${server.url}/` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundTlsError);
    expect(error).toMatchObject({ code: 'OUTBOUND_TLS_ERROR', retryable: false });
  });

  it('refuses a certificate issued for another host', async () => {
    const server = await httpsServer(otherHost);
    const error = await request({ url: `${server.url}/`, ca: otherHost.cert }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundTlsError);
    expect(error).toMatchObject({ systemCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('refuses a server that offers nothing above TLS 1.1', async () => {
    const server = await httpsServer(loopback, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const error = await request({ url: `${server.url}/`, ca: loopback.cert }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundTlsError);

    // Whether this OpenSSL build can speak TLS 1.1 at all or not, a permissive client shows the
    // refusal above comes from our TLS floor and not from some other failure.
    const legacyHandshake = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: loopback.cert, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
      socket.once('secureConnect', () => {
        resolve(String(socket.getProtocol()));
        socket.destroy();
      });
      socket.once('error', () => resolve('unavailable'));
    });
    expect(['TLSv1.1', 'TLSv1', 'unavailable']).toContain(legacyHandshake);
  });
});
