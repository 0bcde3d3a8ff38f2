// Every file the log sources hold open, one reader per file identity, and the contents that ended lately:
// the one place that knows which file carries which content. Sources (one per followed path) are views: each
// asks here for the reader of the file its path names now. Their looks run one at a time, in the order asked,
// so two sources never read the same content at once.
import type { Content } from './content';
import { sameContent } from './fingerprint';
import { identityKey, type FileReader, type ReaderHolder } from './file-reader';
import { ENDED_CONTENTS_KEPT } from './limits';
import { isRotationName } from './rotation-name';

/** A source as the registry sees it: the path it follows, and a look at it now, run inside a job. */
export interface PathLooker extends ReaderHolder {
  readonly path: string;
  lookNow(): Promise<void>;
}

export class ReaderRegistry {
  private readonly readers = new Map<string, FileReader>();
  /** Oldest first; at most ENDED_CONTENTS_KEPT. */
  private readonly ended: Content[] = [];
  private readonly lookers = new Set<PathLooker>();
  private tail: Promise<void> = Promise.resolve();
  /** Jobs asked for and not settled yet. */
  private jobs = 0;

  /**
   * Runs `job` after every job asked for before it has settled: the sources' looks never interleave, so a
   * content's read position and its line splitter have one user at a time. A job never waits for another.
   */
  serially<T>(job: () => Promise<T>): Promise<T> {
    this.jobs++;
    const run = this.tail.then(job);
    const settled = () => void this.jobs--;
    this.tail = run.then(settled, settled);
    return run;
  }

  /** No job runs or waits: a read done at once, synchronously, cannot come between a job's steps. */
  get idle(): boolean {
    return this.jobs === 0;
  }

  register(looker: PathLooker): void {
    this.lookers.add(looker);
  }

  unregister(looker: PathLooker): void {
    this.lookers.delete(looker);
  }

  /**
   * The sources following a path that `path` is a rotation name of (app.log for app.log.1): a new file at
   * app.log.1 was most likely written at app.log, so they look first and claim it.
   */
  rotationBasesOf(path: string): PathLooker[] {
    return [...this.lookers].filter((looker) => isRotationName(looker.path, path));
  }

  /** The reader of this identity. While we hold an fd, its inode cannot be reused, so this is exact. */
  get(dev: bigint, ino: bigint): FileReader | undefined {
    return this.readers.get(identityKey(dev, ino));
  }

  add(reader: FileReader): void {
    this.readers.set(reader.key, reader);
  }

  /** `holder` lets go of `reader`; true when nobody holds it any more (it is then forgotten here). */
  release(reader: FileReader, holder: ReaderHolder): boolean {
    reader.holders.delete(holder);
    if (reader.holders.size > 0) return false;
    if (this.readers.get(reader.key) === reader) this.readers.delete(reader.key);
    if (reader.content && reader.isOrigin) this.end(reader.content);
    return true;
  }

  /** Readers, other than its origin, carrying `content`: copies of it. */
  carriersOf(content: Content): FileReader[] {
    return [...this.readers.values()].filter((r) => r.content === content && r.key !== content.origin);
  }

  /** A held file carrying `content`: the one it began in first, else a copy. */
  carrying(content: Content): FileReader | undefined {
    let copy: FileReader | undefined;
    for (const reader of this.readers.values()) {
      if (reader.content !== content) continue;
      if (reader.key === content.origin) return reader;
      copy ??= reader;
    }
    return copy;
  }

  /** Is a file with this identity held (by any source)? */
  holds(dev: bigint, ino: bigint): boolean {
    return this.readers.has(identityKey(dev, ino));
  }

  /** The content no longer lasts in its origin file (truncated, rewritten, or closed): copies read on from where it ended. */
  end(content: Content): void {
    if (content.origin === null) return;
    content.origin = null;
    this.ended.push(content);
    if (this.ended.length > ENDED_CONTENTS_KEPT) this.ended.shift();
  }

  /**
   * The content a new file at `path` is a copy of (copytruncate), by its first bytes: one first seen at a path
   * whose name `path` extends (`app.log` to `app.log.1`, `app.log-20240131`) in the same directory, lasting or
   * ended lately; lasting ones first, then the newest ended one. `'unknown'` while the file's bytes are only a
   * start of a content's print: a copy being written could still turn out to be another content's.
   */
  contentCopiedTo(path: string, fingerprint: Buffer): Content | 'unknown' | undefined {
    let partly = false;
    const matches = (content: Content) => {
      if (!isRotationName(content.homePath, path) || !sameContent(content.fingerprint, fingerprint)) return false;
      if (fingerprint.length >= content.fingerprint.length) return true;
      partly = true;
      return false;
    };
    for (const reader of this.readers.values()) {
      if (reader.content && reader.isOrigin && matches(reader.content)) return reader.content;
    }
    for (let i = this.ended.length - 1; i >= 0; i--) if (matches(this.ended[i]!)) return this.ended[i];
    return partly ? 'unknown' : undefined;
  }
}
