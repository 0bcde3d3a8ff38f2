// Every file the log sources hold open, and the contents that ended lately, shared by all sources. It is
// how a rotation that moves a file to another followed name (app.log → app.log.1) or copies it there
// (copytruncate) never shows a line twice: the new name goes on from where the old one was read to.
import { basename, dirname } from 'node:path';
import { sameContent } from './fingerprint';
import type { Content, FileOwner, HeldFile } from './held-file';
import { ENDED_CONTENTS_KEPT } from './limits';

interface EndedContent {
  content: Content;
  /** The path it was read at when it ended. */
  path: string;
}

/** Where a file found at a path came from, if it is a rotated copy or a renamed file of a known content. */
export interface Origin {
  content: Content;
  /** Still held and read by a source: the copy waits until it ends. */
  lasting: boolean;
}

export class FileRegistry {
  private readonly held = new Set<HeldFile>();
  /** Oldest first; at most ENDED_CONTENTS_KEPT. */
  private readonly ended: EndedContent[] = [];

  add(file: HeldFile): void {
    this.held.add(file);
  }

  /** The file is closed: its content ends where it was read to (unless it ended already). */
  remove(file: HeldFile): void {
    if (!this.held.delete(file)) return;
    this.end(file.content, file.offset, file.owner.path);
  }

  /** The sources following a path that `path` is a rotation name of (app.log for app.log.1), once each. */
  ownersRotatedTo(path: string): FileOwner[] {
    const owners = new Set<FileOwner>();
    for (const file of this.held) if (isRotationName(file.owner.path, path)) owners.add(file.owner);
    return [...owners];
  }

  /** A held file with this identity. While we hold an fd, its inode cannot be reused, so this is exact. */
  heldWith(dev: bigint, ino: bigint): HeldFile | undefined {
    for (const file of this.held) if (file.dev === dev && file.ino === ino) return file;
    return undefined;
  }

  end(content: Content, endOffset: number, path: string): void {
    if (content.endOffset !== null) return;
    content.endOffset = endOffset;
    this.ended.push({ content, path });
    if (this.ended.length > ENDED_CONTENTS_KEPT) this.ended.shift();
  }

  /**
   * The content a new file at `path` is a rotated copy of: one whose first bytes it shares, read at a path
   * whose name `path` extends (`app.log` → `app.log.1`, `app.log-20240131`) in the same directory. The
   * newest match wins. Files with another identity only: the file itself is found by `heldWith`.
   */
  originOf(path: string, fingerprint: Buffer, dev: bigint, ino: bigint): Origin | undefined {
    for (const file of this.held) {
      if (file.dev === dev && file.ino === ino) continue;
      if (isRotationName(file.owner.path, path) && sameContent(file.content.fingerprint, fingerprint)) {
        return { content: file.content, lasting: true };
      }
    }
    for (let i = this.ended.length - 1; i >= 0; i--) {
      const { content, path: endedAt } = this.ended[i]!;
      if (isRotationName(endedAt, path) && sameContent(content.fingerprint, fingerprint)) return { content, lasting: false };
    }
    return undefined;
  }
}

const ROTATION_SEPARATORS = new Set(['.', '-', '_']);

/** `rotated` is a name logrotate (or a similar tool) would give `original` when rotating it. */
export function isRotationName(original: string, rotated: string): boolean {
  if (dirname(original) !== dirname(rotated)) return false;
  const base = basename(original);
  const name = basename(rotated);
  return name.length > base.length + 1 && name.startsWith(base) && ROTATION_SEPARATORS.has(name[base.length]!);
}
