// Share Dashboard: turns the second listener on and off as the dialog asks, gives it its own token, rotates
// that token on revoke, and tells the page who is connected. Off by default; the request is remembered
// only when the user ticks "remember" (the token never is: each start makes a new one).
import type { ShareClient, ShareInterface, ShareRequest, ShareState } from '../../protocol/desktop-ipc';
import { newShareToken, qrCodeDataUrl, shareUrl, validateShareRequest } from './share-plan';

/** How often the list of connected clients is looked at while sharing. */
const CLIENTS_REFRESH_MS = 2000;

export interface SharedListenerPort {
  readonly port: number;
  clients(): { kind: 'sse' | 'ws' | 'poll'; remoteAddress: string; since: number }[];
  rotateToken(token: string): void;
  close(): Promise<void>;
}

export interface ShareControllerOptions {
  listen(options: { host: string; port: number; token: string; tls?: { key: string; cert: string } }): Promise<SharedListenerPort>;
  interfaces(): ShareInterface[];
  /** The install's self-signed certificate, made on first use. */
  certificate(): Promise<{ key: string; cert: string; fingerprint: string }>;
  /** Store the request to restore at the next launch, or null to forget it. */
  remember(request: ShareRequest | null): void;
  changed(state: ShareState): void;
}

const OFF: ShareRequest = { enabled: false, address: '0.0.0.0', port: 0, tls: false, remember: false };

export class ShareController {
  private request: ShareRequest = OFF;
  private listener: SharedListenerPort | null = null;
  private token = '';
  private url: string | null = null;
  private qr: string | null = null;
  private fingerprint: string | null = null;
  private error: string | null = null;
  private clients: ShareClient[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Requests are applied one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ShareControllerOptions) {}

  state(): ShareState {
    return {
      ...this.request,
      interfaces: this.options.interfaces(),
      url: this.url,
      qrDataUrl: this.qr,
      fingerprint: this.fingerprint,
      clients: this.clients,
      error: this.error,
    };
  }

  /** Applies what the dialog asks (`input` comes from the page: validated here). Never rejects on a bind error: it is in `error`. */
  set(input: unknown): Promise<ShareState> {
    const request = validateShareRequest(input, this.options.interfaces());
    return this.serialise(async () => {
      const restart = !this.listener || request.address !== this.request.address || request.port !== this.request.port || request.tls !== this.request.tls;
      this.request = request;
      this.error = null;
      if (!request.enabled) await this.stop();
      else if (restart) await this.start();
      // Only what runs is remembered: a share that failed to start leaves the saved choice as it was (a
      // remembered one whose interface is gone today is tried again at the next launch).
      if (!request.enabled || this.request.enabled) this.options.remember(request.enabled && request.remember ? request : null);
      return this.publish();
    });
  }

  /** Starts sharing as remembered, if it was; a failure is reported in the state, not thrown. */
  async restore(saved: ShareRequest | null): Promise<void> {
    if (!saved?.enabled || !saved.remember) return;
    try {
      await this.set(saved);
    } catch (err) {
      // The remembered interface may be gone (another network): stay off and say why.
      this.error = `sharing was not restored: ${(err as Error).message}`;
      this.publish();
    }
  }

  /** A new token: the old URL stops working and everyone connected with it is dropped. */
  revoke(): Promise<ShareState> {
    return this.serialise(async () => {
      if (this.listener) {
        this.token = newShareToken();
        this.listener.rotateToken(this.token);
        await this.describe(this.listener);
        this.clients = [];
      }
      return this.publish();
    });
  }

  close(): Promise<void> {
    return this.serialise(() => this.stop());
  }

  private async start(): Promise<void> {
    await this.stop();
    const { address, port, tls } = this.request;
    try {
      const certificate = tls ? await this.options.certificate() : null;
      this.token = newShareToken();
      this.listener = await this.options.listen({
        host: address,
        port,
        token: this.token,
        ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
      });
      this.fingerprint = certificate?.fingerprint ?? null;
      await this.describe(this.listener);
      this.timer = setInterval(() => this.refreshClients(), CLIENTS_REFRESH_MS);
      this.timer.unref();
    } catch (err) {
      this.request = { ...this.request, enabled: false };
      this.error = (err as Error).message;
      await this.stop();
    }
  }

  private async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const listener = this.listener;
    this.listener = null;
    this.url = this.qr = this.fingerprint = null;
    this.clients = [];
    this.token = '';
    await listener?.close();
  }

  private async describe(listener: SharedListenerPort): Promise<void> {
    this.url = shareUrl({ address: this.request.address, port: listener.port, tls: this.request.tls, token: this.token });
    this.qr = await qrCodeDataUrl(this.url);
  }

  private refreshClients(): void {
    if (!this.listener) return;
    const clients = this.listener.clients().map((c) => ({ address: c.remoteAddress, since: c.since, transport: c.kind }));
    if (JSON.stringify(clients) === JSON.stringify(this.clients)) return;
    this.clients = clients;
    this.publish();
  }

  private publish(): ShareState {
    const state = this.state();
    this.options.changed(state);
    return state;
  }

  private serialise<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
