// The charts' host picker (serve --redis): which machine's metrics the charts draw. Hidden while only the
// server's own samples have come; the choice is the page's setting `chartsHost` ('' = the server's own).
export class HostPicker {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  /** The options as last built: rebuilt only when the hosts change (samples come every second). */
  private built = '';

  constructor(choose: (host: string) => void) {
    this.element = document.createElement('div');
    this.element.className = 'charts-host';
    this.element.hidden = true;
    const label = document.createElement('label');
    label.textContent = 'Host';
    this.select = document.createElement('select');
    this.select.className = 'charts-host-select';
    this.select.addEventListener('change', () => choose(this.select.value));
    label.append(this.select);
    this.element.append(label);
  }

  /** `own`: the server's own host name (undefined without --redis); `others`: the other hosts, in order. */
  render(own: string | undefined, others: readonly string[], picked: string): void {
    this.element.hidden = others.length === 0;
    const key = JSON.stringify([own, others]);
    if (key !== this.built) {
      this.built = key;
      const ownOption = new Option(own === undefined ? 'this server' : `${own} (this server)`, '');
      this.select.replaceChildren(ownOption, ...others.map((host) => new Option(host, host)));
    }
    // A picked host that has not been heard from (yet) shows as the server's own, as the charts do.
    const value = others.includes(picked) ? picked : '';
    if (this.select.value !== value) this.select.value = value;
  }
}
