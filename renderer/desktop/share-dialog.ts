// The Share Dashboard dialog of the desktop app: serve this dashboard on a network address, so that a phone
// or another computer can watch it. The main process does the sharing; this dialog sends what the user chose
// (each change at once), and shows what it reports, live: the link and its QR code, the certificate's
// fingerprint, who is connected, and why sharing could not start.
import './share-dialog.css';
import type { ShareClient, ShareRequest, ShareState } from '../../protocol/desktop-ipc';
import { dialogBody, dialogHeader } from '../services/dialog-header';
import { button, checkbox, errorLine, labelled, numberInput, select, textInput } from '../services/form-controls';
import { bridgeErrorMessage, type TailwatchBridge } from './bridge';

/** While open, "connected 3 minutes ago" is brought up to date this often. */
const CLIENTS_REFRESH_MS = 15_000;
const MAX_PORT = 65_535;
const TRANSPORT_NAMES: Record<ShareClient['transport'], string> = { sse: 'SSE', ws: 'WebSocket', poll: 'long-poll' };

export class ShareDialog {
  private state: ShareState | null = null;
  private busy = false;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private readonly enabled = checkbox('Share this dashboard on the network', {
    role: 'switch',
    hint: 'Anyone who has the link can watch these logs and metrics: the link carries its own secret token.',
  });
  private readonly address = select<string>([], '');
  private readonly port = numberInput(0, { min: 0, max: MAX_PORT });
  private readonly tls = checkbox('Use HTTPS (a self-signed certificate)');
  private readonly remember = checkbox('Remember after restart', { hint: 'Off: sharing ends when tailwatch quits.' });
  private readonly starting = document.createElement('p');
  private readonly running = document.createElement('section');
  private readonly url = textInput({ mono: true });
  private readonly copyNote = document.createElement('span');
  private readonly qr = document.createElement('img');
  private readonly fingerprint = document.createElement('div');
  private readonly fingerprintValue = document.createElement('code');
  private readonly clients = document.createElement('ul');
  private readonly error = errorLine();

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly bridge: TailwatchBridge,
  ) {
    dialog.classList.add('share-dialog');
    const settings = document.createElement('fieldset');
    settings.className = 'form-group';
    const legend = document.createElement('legend');
    legend.textContent = 'Where';
    const where = document.createElement('div');
    where.className = 'share-where';
    where.append(labelled('Network interface', this.address), labelled('Port', this.port, '0: any free port'));
    settings.append(legend, where, this.tls.row, this.remember.row);
    this.starting.className = 'hint';
    this.starting.textContent = 'Starting…';
    this.starting.hidden = true;
    this.buildRunning();
    this.running.hidden = true;
    dialog.replaceChildren(dialogHeader('share-title', 'Share dashboard', dialog), dialogBody(this.enabled.row, settings, this.error.element, this.starting, this.running));

    this.enabled.input.addEventListener('change', () => void this.apply());
    this.address.addEventListener('change', () => void this.apply());
    this.tls.input.addEventListener('change', () => void this.apply());
    this.remember.input.addEventListener('change', () => void this.apply());
    this.port.addEventListener('change', () => {
      if (this.port.reportValidity()) void this.apply();
    });
    bridge.on('tailwatch:share-changed', (state) => this.show(state));
    dialog.addEventListener('close', () => clearInterval(this.refreshTimer));
  }

  /** Shows the dialog with sharing as it is now (already open, it is kept current by `share-changed`). */
  async open(): Promise<void> {
    if (this.dialog.open) return;
    this.copyNote.textContent = '';
    try {
      this.show(await this.bridge.getShare());
    } catch (error) {
      this.error.show(`Sharing could not be read: ${bridgeErrorMessage(error)}`);
    }
    clearInterval(this.refreshTimer);
    this.refreshTimer = setInterval(() => {
      if (this.state !== null) this.showClients(this.state.clients);
    }, CLIENTS_REFRESH_MS);
    this.dialog.showModal();
  }

  private buildRunning(): void {
    this.running.className = 'share-running';
    this.running.setAttribute('aria-label', 'Sharing');
    this.url.readOnly = true;
    const copy = button('Copy');
    copy.addEventListener('click', () => void this.copy());
    this.copyNote.className = 'form-hint';
    this.copyNote.setAttribute('aria-live', 'polite');
    const urlRow = document.createElement('div');
    urlRow.className = 'share-url';
    urlRow.append(this.url, copy);
    this.qr.className = 'share-qr';
    this.qr.alt = 'QR code of the link above';
    this.qr.width = 168;
    this.qr.height = 168;

    this.fingerprint.className = 'form-row';
    const fingerprintLabel = document.createElement('span');
    fingerprintLabel.className = 'share-label';
    fingerprintLabel.textContent = 'Certificate fingerprint (SHA-256)';
    this.fingerprintValue.className = 'share-fingerprint';
    const fingerprintHint = document.createElement('span');
    fingerprintHint.className = 'form-hint';
    fingerprintHint.textContent = 'Browsers warn about a self-signed certificate: go on only if they show this fingerprint.';
    this.fingerprint.append(fingerprintLabel, this.fingerprintValue, fingerprintHint);

    const clientsLabel = document.createElement('h3');
    clientsLabel.textContent = 'Connected now';
    this.clients.className = 'share-clients';

    const revoke = button('Revoke link');
    revoke.addEventListener('click', () => void this.revoke());
    const revokeHint = document.createElement('p');
    revokeHint.className = 'form-hint';
    revokeHint.textContent = 'Makes a new link with a new token: the old link stops working, and everyone connected now is disconnected.';
    const revokeRow = document.createElement('div');
    revokeRow.className = 'share-revoke';
    revokeRow.append(revoke, revokeHint);

    // The QR code beside the link and what goes with it, so that the whole state fits without scrolling.
    const details = document.createElement('div');
    details.className = 'share-details';
    details.append(labelled('Link', urlRow, undefined, this.url), this.copyNote, this.fingerprint, clientsLabel, this.clients);
    const top = document.createElement('div');
    top.className = 'share-top';
    top.append(details, this.qr);
    this.running.append(top, revokeRow);
  }

  /** Sends what the form says; the answer (or the next `share-changed`) is shown. */
  private async apply(): Promise<void> {
    const request: ShareRequest = {
      enabled: this.enabled.input.checked,
      address: this.address.value,
      port: this.port.valueAsNumber,
      tls: this.tls.input.checked,
      remember: this.remember.input.checked,
    };
    await this.call(() => this.bridge.setShare(request));
  }

  private async revoke(): Promise<void> {
    await this.call(() => this.bridge.revokeShare());
  }

  private async call(send: () => Promise<ShareState>): Promise<void> {
    this.setBusy(true);
    try {
      const state = await send();
      this.setBusy(false);
      this.show(state);
    } catch (error) {
      this.setBusy(false);
      // What the form says was not taken: it goes back to what is in force.
      if (this.state !== null) this.show(this.state);
      this.error.show(bridgeErrorMessage(error));
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    for (const control of this.dialog.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('.body input, .body select, .body button')) {
      if (control !== this.url) control.disabled = busy;
    }
  }

  private show(state: ShareState): void {
    this.state = state;
    if (this.busy) return;
    const focused = document.activeElement;
    this.enabled.input.checked = state.enabled;
    this.showInterfaces(state);
    // A value being typed is not overwritten by a report that came meanwhile (a client connecting).
    if (focused !== this.port) this.port.value = String(state.port);
    this.tls.input.checked = state.tls;
    this.remember.input.checked = state.remember;
    this.starting.hidden = !(state.enabled && state.url === null && state.error === null);
    this.running.hidden = state.url === null;
    this.url.value = state.url ?? '';
    // Only an image from a data: URL: the page's CSP allows no other origin, and a report is not trusted further.
    const qr = state.qrDataUrl !== null && state.qrDataUrl.startsWith('data:image/') ? state.qrDataUrl : null;
    this.qr.hidden = qr === null;
    if (qr !== null && this.qr.src !== qr) this.qr.src = qr;
    this.fingerprint.hidden = state.fingerprint === null;
    this.showFingerprint(state.fingerprint ?? '');
    this.showClients(state.clients);
    this.error.show(state.error);
  }

  /** Long lines of `AB:CD:…` wrap after a colon, never inside a byte (<wbr> adds nothing to a copy). */
  private showFingerprint(fingerprint: string): void {
    if (this.fingerprintValue.textContent === fingerprint) return;
    const parts = fingerprint.split(':');
    this.fingerprintValue.replaceChildren(...parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part}:`, document.createElement('wbr')] : [part])));
  }

  private showInterfaces(state: ShareState): void {
    const options = state.interfaces.map((choice) => {
      const option = document.createElement('option');
      option.value = choice.address;
      option.textContent = choice.label;
      return option;
    });
    const same = options.length === this.address.options.length && options.every((option, i) => option.value === this.address.options[i]!.value && option.textContent === this.address.options[i]!.textContent);
    if (!same) this.address.replaceChildren(...options);
    this.address.value = state.address;
  }

  private showClients(clients: readonly ShareClient[]): void {
    const now = Date.now();
    if (clients.length === 0) {
      const none = document.createElement('li');
      none.className = 'hint';
      none.textContent = 'No one is connected.';
      this.clients.replaceChildren(none);
      return;
    }
    this.clients.replaceChildren(
      ...clients.map((client) => {
        const item = document.createElement('li');
        const address = document.createElement('span');
        address.className = 'share-client-address';
        address.textContent = client.address;
        const detail = document.createElement('span');
        detail.className = 'form-hint';
        detail.textContent = `${TRANSPORT_NAMES[client.transport]} · connected ${ago(client.since, now)}`;
        detail.title = new Date(client.since).toLocaleString();
        item.append(address, detail);
        return item;
      }),
    );
  }

  private async copy(): Promise<void> {
    const text = this.url.value;
    try {
      await navigator.clipboard.writeText(text);
      this.copyNote.textContent = 'Copied.';
      return;
    } catch {
      // No clipboard access (denied, or the window lost focus): the link is selected for the user to copy.
    }
    this.url.focus();
    this.url.select();
    this.copyNote.textContent = `Selected: press ${navigator.userAgent.includes('Mac') ? '⌘' : 'Ctrl+'}C to copy.`;
  }
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', Number.POSITIVE_INFINITY],
];

/** "just now", "3 minutes ago", "yesterday". */
function ago(since: number, now: number): string {
  let value = Math.max(0, (now - since) / 1000);
  if (value < 10) return 'just now';
  for (const [unit, size] of STEPS) {
    if (value < size) return RELATIVE.format(-Math.floor(value), unit);
    value /= size;
  }
  return RELATIVE.format(-Math.floor(value), 'day');
}
