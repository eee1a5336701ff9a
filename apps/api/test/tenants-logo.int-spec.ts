/**
 * The portal logo uploaded to the platform (issue 16), over real HTTP with PostgreSQL: PNG or SVG
 * told by the bytes (not the name or the declared type), 200 KiB at most, SVG sanitised (malicious
 * files below), stored, served with safe headers at a versioned path that the portal's branding
 * names, an audit row per change; refusals change nothing.
 */
import { LOGO_MAX_BYTES } from '@fcplat/domain';
import { LogCapture, makeClientAdmin, makeStaff, makeTenant, withBrowserWriteHeaders, type TestClientAdmin } from '@fcplat/testing';
import type { TenantEntity } from '@fcplat/db';
import { useTestApi } from './api-harness.js';

type Json = Record<string, unknown>;

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Everything a hostile SVG may try: scripts, handlers, javascript: links, external loads, foreignObject, style sheets, SMIL. */
const HOSTILE_SVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40" onload="alert(1)">
  <script>alert(2)</script>
  <script xlink:href="https://evil.example/x.js"/>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#000091"/><stop offset="1" stop-color="#e1000f"/></linearGradient></defs>
  <rect width="100" height="40" fill="url(#g)" onclick="steal()"/>
  <a href="javascript:alert(3)"><text x="5" y="25">Mairie</text></a>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"></iframe></foreignObject>
  <style>@import url(https://evil.example/a.css); rect { fill: url(https://evil.example/p) }</style>
  <circle cx="80" cy="20" r="10" style="fill:url(https://evil.example/q)" fill="#000091"/>
  <animate attributeName="href" values="javascript:alert(4)"/>
  <set attributeName="onmouseover" to="alert(5)"/>
</svg>`;

describe('portal logo upload', () => {
  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture(), frontends: [] });
  let tenant: TenantEntity;
  let admin: TestClientAdmin;

  beforeAll(async () => {
    tenant = await makeTenant(platform.dataSource);
    admin = await makeClientAdmin(platform.dataSource, tenant.id);
  });

  const logoPath = () => `/api/tenants/${tenant.id}/branding/logo`;

  async function upload(bytes: Buffer | string, contentType = 'application/octet-stream', cookie = admin.cookie): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${platform.api.url}${logoPath()}`, {
      method: 'PUT',
      headers: withBrowserWriteHeaders('PUT', logoPath(), { cookie, 'content-type': contentType }),
      body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  const state = async () =>
    (await platform.dataSource.query(
      `SELECT t.version, t.branding, l.sha256, l.content_type, (SELECT count(*)::int FROM audit_log a WHERE a.tenant_id = t.id AND a.action LIKE 'tenant.logo_%') AS audits
         FROM tenant t LEFT JOIN tenant_logo l ON l.tenant_id = t.id WHERE t.id = $1`,
      [tenant.id],
    ))[0] as { version: number; branding: Json; sha256: string | null; content_type: string | null; audits: number };

  it('takes a PNG told by its bytes (whatever it is called), serves it with safe headers, and the portal shows it', async () => {
    // Declared as SVG: the bytes say PNG, and PNG it is.
    const answer = await upload(PNG, 'image/svg+xml');
    expect(answer.status).toBe(200);
    const logoUrl = (answer.body['branding'] as Json)['logoUrl'] as string;
    expect(logoUrl).toMatch(new RegExp(`^/api/portal/${tenant.slug}/logo/[0-9a-f]{16}$`));
    const served = await fetch(`${platform.api.url}${logoUrl}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*sandbox/);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    // The portal's branding names it.
    const portal = (await (await fetch(`${platform.api.url}/api/portal/${tenant.slug}`)).json()) as { branding: Json };
    expect(portal.branding['logoUrl']).toBe(logoUrl);
    const audit = (await platform.dataSource.query(`SELECT actor_type, changes FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.logo_uploaded'`, [tenant.id])) as { actor_type: string; changes: Json }[];
    expect(audit).toEqual([{ actor_type: 'client_admin', changes: expect.objectContaining({ logo: { before: null, after: { contentType: 'image/png', bytes: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } } }) }]);
  });

  it('sanitises a hostile SVG: no script, handler, javascript: link, external reference, style sheet or foreignObject is stored or served', async () => {
    const answer = await upload(HOSTILE_SVG, 'image/svg+xml');
    expect(answer.status).toBe(200);
    const logoUrl = (answer.body['branding'] as Json)['logoUrl'] as string;
    const served = await fetch(`${platform.api.url}${logoUrl}`);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(served.headers.get('content-security-policy')).not.toMatch(/script-src/);
    const svg = await served.text();
    for (const forbidden of [/<script/i, /\bon[a-z]+\s*=/i, /javascript:/i, /evil\.example/i, /<foreignObject/i, /<iframe/i, /<style/i, /<image/i, /<use/i, /<animate/i, /<set\b/i, /style=/i]) {
      expect({ forbidden: String(forbidden), found: forbidden.test(svg) }).toEqual({ forbidden: String(forbidden), found: false });
    }
    // The drawing itself stays: shapes, text, the gradient and its local reference.
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<linearGradient id="g">');
    expect(svg).toContain('fill="url(#g)"');
    expect(svg).toContain('<circle');
    expect(svg).toContain('Mairie');
    // What is stored is what is served.
    const stored = (await platform.dataSource.query(`SELECT convert_from(content, 'UTF8') AS svg FROM tenant_logo WHERE tenant_id = $1`, [tenant.id])) as { svg: string }[];
    expect(stored[0]?.svg).toBe(svg);
  });

  it('refuses in French what is not a PNG or an SVG, a DOCTYPE, and a logo over 200 KiB, changing nothing', async () => {
    const before = await state();
    const refusals: [Buffer | string, string, number, RegExp][] = [
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), 'image/png', 415, /PNG ou SVG/],
      [Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif', 415, /PNG ou SVG/],
      ['<html><body><svg onload="alert(1)"></svg></body></html>', 'image/svg+xml', 415, /PNG ou SVG/],
      ['<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "xx">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', 'image/svg+xml', 415, /PNG ou SVG/],
      [Buffer.concat([PNG.subarray(0, 8), Buffer.from('garbage!')]), 'image/png', 415, /PNG est incomplet/],
      [Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES + 1 - PNG.length)]), 'image/png', 413, /dépasse 200 Ko/],
      [Buffer.alloc(0), 'image/png', 400, /vide/],
    ];
    for (const [bytes, type, status, message] of refusals) {
      const answer = await upload(bytes, type);
      expect({ status: answer.status, detail: answer.body['detail'] }).toEqual({ status, detail: expect.stringMatching(message) });
    }
    expect(await state()).toEqual(before);
  });

  it('serves only the current version; staff who may write and the tenant’s administrators may change it, read-only staff may not', async () => {
    const first = ((await upload(PNG)).body['branding'] as Json)['logoUrl'] as string;
    const svg = ((await upload('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')).body['branding'] as Json)['logoUrl'] as string;
    expect(svg).not.toBe(first);
    expect((await fetch(`${platform.api.url}${first}`)).status).toBe(404);
    expect((await fetch(`${platform.api.url}${svg}`)).status).toBe(200);
    const readOnly = await makeStaff(platform.dataSource, 'read_only');
    const refused = await fetch(`${platform.api.url}${logoPath()}`, { method: 'PUT', headers: { authorization: readOnly.authorization, 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
    expect(refused.status).toBe(403);
    const agent = await makeStaff(platform.dataSource, 'onboarding_agent');
    const byStaff = await fetch(`${platform.api.url}${logoPath()}`, { method: 'PUT', headers: { authorization: agent.authorization, 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
    expect(byStaff.status).toBe(200);
    const other = await makeClientAdmin(platform.dataSource, (await makeTenant(platform.dataSource)).id);
    expect((await upload(PNG, 'image/png', other.cookie)).status).toBe(404);
  });

  it('removes the uploaded logo with its URL, with an audit row', async () => {
    const current = (await state()).branding['logoUrl'] as string;
    const response = await fetch(`${platform.api.url}${logoPath()}`, { method: 'DELETE', headers: withBrowserWriteHeaders('DELETE', logoPath(), { cookie: admin.cookie }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { branding: Json }).branding['logoUrl']).toBeUndefined();
    expect((await fetch(`${platform.api.url}${current}`)).status).toBe(404);
    expect(await state()).toMatchObject({ sha256: null, content_type: null });
    const actions = (await platform.dataSource.query(`SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'tenant.logo_%' ORDER BY id`, [tenant.id])) as { action: string }[];
    expect(actions.at(-1)?.action).toBe('tenant.logo_removed');
    const again = await fetch(`${platform.api.url}${logoPath()}`, { method: 'DELETE', headers: withBrowserWriteHeaders('DELETE', logoPath(), { cookie: admin.cookie }) });
    expect(again.status).toBe(404);
  });
});
