// A click on a source in the sidebar: show only that source in the log (as unticking every other one in the
// sources menu does), or, when it is already the only one shown, every source again.

/** The sources shown: `ids` less the hidden ones. */
export function shownSources(ids: readonly string[], hidden: readonly string[]): string[] {
  const hiddenSet = new Set(hidden);
  return ids.filter((id) => !hiddenSet.has(id));
}

/** The hidden list after a click on `id`: every other source, or none when `id` alone was shown. */
export function soloHidden(ids: readonly string[], hidden: readonly string[], id: string): string[] {
  const shown = shownSources(ids, hidden);
  if (shown.length === 1 && shown[0] === id) return [];
  return ids.filter((other) => other !== id);
}
