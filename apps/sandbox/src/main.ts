/** Runs the sandbox alone (docker compose's `sandbox` service, or by hand). */
import { SANDBOX_SERVICE_IDS, type SandboxServiceId } from './http.js';
import { startSandbox } from './sandbox.js';

const DEFAULT_PORTS: Record<SandboxServiceId, number> = { franceconnect: 4010, 'api-particulier': 4020, 'recherche-entreprises': 4030, mail: 4040 };
const DEFAULT_SMTP_PORT = 2525;

function portOf(id: SandboxServiceId | 'mail-smtp'): number {
  const name = `SANDBOX_${id.toUpperCase().replace(/-/g, '_')}_PORT`;
  const raw = process.env[name];
  if (raw === undefined || raw === '') return id === 'mail-smtp' ? DEFAULT_SMTP_PORT : DEFAULT_PORTS[id];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`fcplat-sandbox: ${name} must be a port number\n`);
    process.exit(78);
  }
  return port;
}

const ports = Object.fromEntries(SANDBOX_SERVICE_IDS.map((id) => [id, portOf(id)])) as Record<SandboxServiceId, number>;
const sandbox = await startSandbox({ host: process.env.SANDBOX_HOST || '127.0.0.1', ports, smtpPort: portOf('mail-smtp') });
for (const service of sandbox.services) {
  process.stdout.write(`${JSON.stringify({ level: 'info', service: 'fcplat-sandbox', msg: 'listening', id: service.id, url: service.url })}\n`);
}
process.stdout.write(`${JSON.stringify({ level: 'info', service: 'fcplat-sandbox', msg: 'listening', id: 'mail-smtp', url: sandbox.smtpUrl })}\n`);
const stop = (): void => {
  void sandbox.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
