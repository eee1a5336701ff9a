import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_SERVICE_IDS, sendJson, type SandboxService, type SandboxServiceId } from './http.js';
import { startMailSink } from './mail-sink.js';
import { apiParticulierService, type ApiParticulierSandboxOptions, type ApiParticulierSandbox } from './services/api-particulier.js';
import { franceConnectService, MOUNT_PATH } from './services/franceconnect.js';
import { rechercheEntreprisesService } from './services/recherche-entreprises.js';

export interface RunningSandbox {
  readonly services: readonly { id: SandboxServiceId; label: string; url: string }[];
  url(id: SandboxServiceId): string;
  /** The mail sink's SMTP server (`smtp://127.0.0.1:<port>`); its inbox is the `mail` service's `/messages`. */
  readonly smtpUrl: string;
  /** The API Particulier stand-in (its journal, limits and faults, also under its `/admin/*`). */
  readonly apiParticulier: ApiParticulierSandbox;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  readonly host?: string;
  /** Port per service; 0 (the default) picks a free one. */
  readonly ports?: Partial<Record<SandboxServiceId, number>>;
  /** SMTP port of the mail sink; 0 (the default) picks a free one. */
  readonly smtpPort?: number;
  /** Options of the API Particulier stand-in; its FranceConnect is the sandbox's own. */
  readonly apiParticulier?: Omit<ApiParticulierSandboxOptions, 'franceConnectIssuer'>;
}

/** Starts every stand-in on its own loopback port (one origin each, like the real services). */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const running: { id: SandboxServiceId; label: string; url: string }[] = [];
  // API Particulier asks the sandbox FranceConnect's /checktoken, at its own address (known once
  // listening); FranceConnect's public issuer, if fixed, is read from its discovery document.
  const franceConnectBase = (): string | undefined => {
    const url = running.find((s) => s.id === 'franceconnect')?.url;
    return url === undefined ? undefined : `${url}${MOUNT_PATH}`;
  };
  const apiParticulier = apiParticulierService({ ...options.apiParticulier, franceConnectIssuer: franceConnectBase });
  const mail = await startMailSink({ host, smtpPort: options.smtpPort ?? 0 });
  const services: Record<SandboxServiceId, SandboxService> = {
    franceconnect: franceConnectService(),
    'api-particulier': apiParticulier,
    'recherche-entreprises': rechercheEntreprisesService(),
    mail: mail.service,
  };
  const servers: Server[] = [];
  try {
    for (const id of SANDBOX_SERVICE_IDS) {
      const service = services[id];
      const server = createServer((req, res) => {
        Promise.resolve(service.handler(req, res)).catch(() => {
          if (!res.headersSent) sendJson(res, 500, { error: 'sandbox_error' });
          else res.destroy();
        });
      });
      // Keep-alive as a real provider's front keeps it (Node's default, 5 s): clients reuse their
      // connections, as they will in production (`stop()` closes them all).
      server.keepAliveTimeout = 5_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.ports?.[id] ?? 0, host, () => resolve());
      });
      servers.push(server);
      const { port } = server.address() as AddressInfo;
      running.push({ id, label: service.label, url: `http://${host}:${port}` });
    }
  } catch (error) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await mail.stop();
    throw error;
  }
  return {
    services: running,
    url: (id) => running.find((s) => s.id === id)?.url ?? '',
    smtpUrl: mail.smtpUrl,
    apiParticulier,
    stop: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      await mail.stop();
    },
  };
}
