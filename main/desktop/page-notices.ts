// Notices for the dashboard window (see DesktopNotice). The main process has things to say before the page
// has loaded (settings it cannot save, a remembered folder that is gone) and while it reloads; an IPC event
// sent then is lost. So notices wait here until the page asks for them, and go out as events after that.
import type { DesktopNotice } from '../../protocol/desktop-ipc';

/** Notices kept while no page listens; older ones are dropped (the same text is in the log on stderr). */
export const MAX_WAITING_NOTICES = 20;
/** A problem's text is cut to this (a path in it can be long); the whole text is logged. */
export const MAX_NOTICE_CHARS = 500;

export class PageNotices {
  private readonly waiting: DesktopNotice[] = [];
  private listening = false;

  constructor(private readonly send: (notice: DesktopNotice) => void) {}

  post(notice: DesktopNotice): void {
    const kept = notice.kind === 'problem' ? { kind: 'problem' as const, message: notice.message.slice(0, MAX_NOTICE_CHARS) } : notice;
    if (this.listening) return this.send(kept);
    this.waiting.push(kept);
    if (this.waiting.length > MAX_WAITING_NOTICES) this.waiting.shift();
  }

  /** The page asks for what it missed: from now on each notice is sent to it at once. */
  take(): DesktopNotice[] {
    this.listening = true;
    return this.waiting.splice(0);
  }

  /** The page is (re)loading, or its window is gone: notices wait until it asks again. */
  pageGone(): void {
    this.listening = false;
  }
}
