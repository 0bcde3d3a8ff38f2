// Which of the `--source-N` colours each source gets: from a hash of its path, so the same file has the same
// colour on every load and in every browser, whatever order the sources arrive in. Two paths that hash to one
// slot are told apart by probing on to the next free slot, in path order: the same set of sources always gets
// the same colours. Past SOURCE_COLOURS sources, colours are shared (each keeps its own slot).

/** The `--source-N` CSS variables of base.css, N = 0 … 11 (a test checks each against both themes' backgrounds). */
export const SOURCE_COLOURS = 12;

export interface ColouredSource {
  id: string;
  path: string;
}

/** The slot a path would like: FNV-1a over its UTF-16 code units (the same in every browser). */
export function homeSlot(path: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    hash ^= path.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SOURCE_COLOURS;
}

/** The colour slot of each source of the set: its home slot when it is free, else the next free one. */
export function assignColours(sources: Iterable<ColouredSource>): Map<string, number> {
  const ordered = [...sources].sort((a, b) => compare(a.path, b.path) || compare(a.id, b.id));
  const slotOf = new Map<string, number>();
  const taken = new Array<boolean>(SOURCE_COLOURS).fill(false);
  // First every source whose home is free, so a newcomer can only move a source that was already displaced.
  const displaced: ColouredSource[] = [];
  for (const source of ordered) {
    const home = homeSlot(source.path);
    if (taken[home]) {
      displaced.push(source);
      continue;
    }
    taken[home] = true;
    slotOf.set(source.id, home);
  }
  let free = SOURCE_COLOURS - slotOf.size;
  for (const source of displaced) {
    const home = homeSlot(source.path);
    if (free === 0) {
      slotOf.set(source.id, home);
      continue;
    }
    let slot = home;
    while (taken[slot]) slot = (slot + 1) % SOURCE_COLOURS;
    taken[slot] = true;
    free--;
    slotOf.set(source.id, slot);
  }
  return slotOf;
}

/** Code-unit order (not the locale's): the same in every browser. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
