import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintSandboxToken } from './sandbox-api-particulier.js';

/**
 * The minted token's expiry is the calendar day *in France* of its `exp`: the vault compares the
 * two, so a UTC date broke minting every evening after 22:00/23:00 UTC (CI, 6 December 2026).
 */
describe('mintSandboxToken', () => {
  let server: Server;
  let url = '';
  let expiresAt = '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'header.payload.signature', expiresAt }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ['2028-06-06T22:30:00.000Z', '2028-06-07'], // summer time: 00:30 in Paris
    ['2028-12-06T23:30:00.000Z', '2028-12-07'], // winter time: 00:30 in Paris
    ['2028-12-06T12:00:00.000Z', '2028-12-06'],
  ])('an exp at %s expires on %s in France', async (instant, day) => {
    expiresAt = instant;
    await expect(mintSandboxToken(url, '21750001600019')).resolves.toEqual({ token: 'header.payload.signature', expiresOn: day });
  });
});
