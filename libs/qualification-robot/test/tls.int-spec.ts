/**
 * FC-18 against real TLS servers on 127.0.0.1 (a self-signed certificate made with openssl): a
 * server that still accepts TLS 1.0/1.1 fails the check, one limited to TLS 1.2/1.3 passes, and a
 * server speaking only TLS 1.3 passes too. The check can fail, and says why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type SecureVersion, type Server } from 'node:tls';
import { checkTls } from '../src/checks.js';
import { observeTls } from '../src/tls.js';

describe('FC-18: TLS versions of an https portal, measured on real servers', () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  const servers: Server[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fcplat-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {
      stdio: 'ignore',
    });
    key = readFileSync(join(dir, 'key.pem'));
    cert = readFileSync(join(dir, 'cert.pem'));
  });

  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A TLS server answering a tiny HTTP response, with these protocol bounds; returns its https URL. */
  async function portal(minVersion: SecureVersion, maxVersion: SecureVersion): Promise<string> {
    const server = createServer({ key, cert, minVersion, maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0' }, (socket) => {
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}/t/mairie/`;
  }

  it('fails a portal that still accepts TLS 1.0 or 1.1, naming the version', async () => {
    const outcome = checkTls(await observeTls(await portal('TLSv1', 'TLSv1.3')));
    expect(outcome.verdict).toBe('failed');
    expect(outcome.findings.join(' ')).toMatch(/accepte TLSv1(\.1)?/);
  });

  it('passes a portal limited to TLS 1.2 and 1.3, with the negotiated versions as evidence', async () => {
    const outcome = checkTls(await observeTls(await portal('TLSv1.2', 'TLSv1.3')));
    expect(outcome).toMatchObject({ verdict: 'passed', findings: [] });
    expect(outcome.summary).toContain('TLSv1.2 et TLSv1.3');
  });

  it('passes a portal speaking TLS 1.3 only, and fails one that speaks no TLS the robot can use', async () => {
    expect(checkTls(await observeTls(await portal('TLSv1.3', 'TLSv1.3'))).verdict).toBe('passed');
    // Nothing listening for TLS there: neither 1.2 nor 1.3 connects.
    const closed = await portal('TLSv1.2', 'TLSv1.3');
    const server = servers.pop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const outcome = checkTls(await observeTls(closed));
    expect(outcome.verdict).toBe('failed');
    expect(outcome.findings).toContain('Le portail n’accepte ni TLS 1.2 ni TLS 1.3.');
  });
});
