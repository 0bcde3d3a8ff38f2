// How many reads of the files on disk (GET /api/lines, GET /api/search) run at once, over all clients: each is
// bounded in lines, bytes and time, but many at once would still take the machine from the live tail. Past the
// bound a request is answered 429 with Retry-After, never queued (a queue would hold sockets and memory).

/** Disk reads at once, at most (a search scans up to 4 GiB in 10 s; history pages are quick). */
export const DISK_READS_AT_ONCE = 8;

export class DiskReadSlots {
  private used = 0;

  constructor(private readonly limit = DISK_READS_AT_ONCE) {}

  /** A slot, with its release (call once, when the answer is done); null when all are taken. */
  take(): (() => void) | null {
    if (this.used >= this.limit) return null;
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
    };
  }
}
