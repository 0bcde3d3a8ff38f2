// The folders and files the user added in the desktop app (dialogs, drops, launch arguments): checked,
// handed to the core as roots, remembered in the settings, removable. The page names them by id only.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { AddPathsResult, DesktopSource } from '../../protocol/desktop-ipc';

/** One add may bring at most this many paths (a drop of a huge selection is cut, with a reason each). */
export const MAX_PATHS_PER_ADD = 100;
/** The most roots kept; each may hold many files, which the core caps separately (--max-files). */
export const MAX_DESKTOP_SOURCES = 500;

/** What the desktop sources need of the running core. */
export interface SourceRoots {
  addDir(path: string): Promise<void>;
  addFile(path: string): Promise<void>;
  removeRoot(path: string): Promise<void>;
}

export interface DesktopSourcesOptions {
  roots: SourceRoots;
  /** The stable id of a root (the settings file's). */
  idOf(kind: DesktopSource['kind'], path: string): string;
  /** Remember the list (called after every change). */
  save(sources: DesktopSource[]): void;
  changed(sources: DesktopSource[]): void;
  warn(message: string): void;
}

export class DesktopSources {
  private readonly sources = new Map<string, DesktopSource>();

  constructor(private readonly options: DesktopSourcesOptions) {}

  list(): DesktopSource[] {
    return [...this.sources.values()];
  }

  /**
   * Follows the remembered roots again. A root that is missing now is still followed (a folder on a
   * drive not mounted yet, a log not written yet): the core waits for it.
   */
  async restore(saved: readonly DesktopSource[]): Promise<void> {
    for (const source of saved.slice(0, MAX_DESKTOP_SOURCES)) {
      if (this.sources.has(source.id)) continue;
      this.sources.set(source.id, source);
      const failed = await this.follow(source);
      if (failed) this.options.warn(`cannot follow ${source.path}: ${failed}`);
    }
    this.options.changed(this.list());
  }

  /** Adds paths from a dialog, a drop or a launch; `input` comes from the page, so it is checked here. */
  async addPaths(input: unknown): Promise<AddPathsResult> {
    if (!Array.isArray(input)) throw new TypeError('tailwatch: add-paths takes a list of paths');
    const result: AddPathsResult = { added: [], rejected: [] };
    for (const [i, path] of input.entries()) {
      if (typeof path !== 'string' || path === '') {
        result.rejected.push({ path: String(path).slice(0, 200), reason: 'not a path' });
      } else if (i >= MAX_PATHS_PER_ADD) {
        result.rejected.push({ path, reason: `more than ${MAX_PATHS_PER_ADD} paths at once` });
      } else {
        const added = await this.addOne(path);
        if (typeof added === 'string') result.rejected.push({ path, reason: added });
        else result.added.push(added);
      }
    }
    if (result.added.length > 0) this.commit();
    return result;
  }

  async remove(id: unknown): Promise<DesktopSource[]> {
    const source = typeof id === 'string' ? this.sources.get(id) : undefined;
    if (!source) throw new Error(`tailwatch: no source with id ${String(id).slice(0, 60)}`);
    this.sources.delete(source.id);
    await this.options.roots.removeRoot(source.path);
    this.commit();
    return this.list();
  }

  /** The added source, or why not. */
  private async addOne(given: string): Promise<DesktopSource | string> {
    if (!isAbsolute(given) || given.includes('\0')) return 'not an absolute path';
    const path = resolve(given);
    let kind: DesktopSource['kind'];
    try {
      const info = await stat(path);
      if (info.isDirectory()) kind = 'folder';
      else if (info.isFile()) kind = 'file';
      else return 'neither a file nor a folder';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? 'not found' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot read it (${code ?? 'error'})`;
    }
    const id = this.options.idOf(kind, path);
    if (this.sources.has(id)) return 'already added';
    if (this.sources.size >= MAX_DESKTOP_SOURCES) return `already following ${MAX_DESKTOP_SOURCES} folders and files`;
    const source: DesktopSource = { id, kind, path };
    this.sources.set(id, source);
    const failed = await this.follow(source);
    if (failed === null) return source;
    this.sources.delete(id);
    return `cannot follow it: ${failed}`;
  }

  /** Null once the core follows the root, else why not. */
  private async follow(source: DesktopSource): Promise<string | null> {
    try {
      await (source.kind === 'folder' ? this.options.roots.addDir(source.path) : this.options.roots.addFile(source.path));
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  private commit(): void {
    const list = this.list();
    this.options.save(list);
    this.options.changed(list);
  }
}
