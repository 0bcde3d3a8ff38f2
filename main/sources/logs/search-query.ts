// What a search of the files on disk looks for (GET /api/search `q`): plain text, case-insensitive unless it
// has a capital (smart case), or `/pattern/flags`. Checked once, here, with errors a client can show.

/** A query longer than this is refused: a search pattern is typed, not pasted from a file. */
export const SEARCH_QUERY_MAX_CHARS = 1000;

/** Flags a regex query may carry: g and y make `test` stateful across lines; d and v add nothing here. */
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);
/** Letters that make `/…/xyz` a regex with flags; any other letter after the last `/` makes it plain text. */
const JS_FLAGS = /^[dgimsuvy]*$/;

export type SearchQuery =
  | { kind: 'text'; text: string; caseSensitive: boolean }
  | { kind: 'regex'; regex: RegExp };

export class SearchQueryError extends Error {
  readonly code = 'bad-search';
}

/**
 * The query `q` means. A regex is `/pattern/flags` where flags are only JS flag letters, so a path such as
 * `/var/log/messages` stays plain text. A regex that repeats a repetition (`(a+)+`) is refused: it can take
 * exponential time on one line, and V8 cannot interrupt a regex short of terminating the script.
 */
export function parseSearchQuery(q: string): SearchQuery {
  if (q.length === 0) throw new SearchQueryError('search: the query is empty');
  if (q.length > SEARCH_QUERY_MAX_CHARS) {
    throw new SearchQueryError(`search: the query is ${q.length} characters long, more than ${SEARCH_QUERY_MAX_CHARS}`);
  }
  const slash = q.lastIndexOf('/');
  if (q[0] !== '/' || slash < 2 || !JS_FLAGS.test(q.slice(slash + 1))) {
    return { kind: 'text', text: q, caseSensitive: q !== q.toLowerCase() };
  }
  const pattern = q.slice(1, slash);
  const flags = q.slice(slash + 1);
  const refused = [...flags].filter((f) => !ALLOWED_FLAGS.has(f));
  if (refused.length > 0) {
    throw new SearchQueryError(`search: regex flag ${refused.join(', ')} not allowed in ${q} (allowed: i, m, s, u)`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (err) {
    throw new SearchQueryError(`search: ${q} is not a valid regex: ${(err as Error).message}`);
  }
  const nested = nestedRepetition(pattern);
  if (nested !== null) {
    throw new SearchQueryError(
      `search: ${q} repeats a repetition (${nested}), which can take exponential time on one line; ` +
        'repeat it once, e.g. a+ for (a+)+',
    );
  }
  return { kind: 'regex', regex };
}

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/;

/**
 * The part of a valid regex `source` that repeats without bound (`*`, `+`, `{n,}`) a group holding a repetition
 * without bound, or null. Star height 2 is what makes backtracking exponential ((a+)+, (\w+\s?)*); a bounded
 * outer repeat ((\d+\.){3}) is polynomial at worst and is let through.
 */
export function nestedRepetition(source: string): string | null {
  // Per open group: where it starts and whether something inside it repeats without bound.
  const groups: { start: number; unbounded: boolean }[] = [{ start: 0, unbounded: false }];
  // What a quantifier read next would repeat: where it starts and whether it holds an unbounded repeat.
  let atom: { start: number; unbounded: boolean } | null = null;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const quantifier = QUANTIFIER.exec(source.slice(i, i + 24));
    if (c === '\\') {
      atom = { start: i, unbounded: false };
      i += escapeLength(source, i);
    } else if (c === '[') {
      atom = { start: i, unbounded: false };
      i = classEnd(source, i);
    } else if (c === '(') {
      groups.push({ start: i, unbounded: false });
      atom = null;
      i++;
    } else if (c === ')') {
      const group = groups.pop()!;
      groups[groups.length - 1]!.unbounded ||= group.unbounded;
      atom = group;
      i++;
    } else if (quantifier && atom) {
      const unbounded = quantifier[0] === '*' || quantifier[0] === '+' || (quantifier[2] !== undefined && quantifier[3] === '');
      i += quantifier[0].length;
      if (source[i] === '?') i++;
      if (unbounded && atom.unbounded) return source.slice(atom.start, i);
      if (unbounded) groups[groups.length - 1]!.unbounded = true;
      atom = null;
    } else {
      atom = c === '|' ? null : { start: i, unbounded: false };
      i++;
    }
  }
  return null;
}

/** Length of the escape at `i` (`\d`, `\u{1F600}`, `\p{Lu}`, `\k<name>`): a brace or angle group is one atom. */
function escapeLength(source: string, i: number): number {
  const next = source[i + 1];
  const open = source[i + 2];
  const close = (next === 'u' || next === 'p' || next === 'P') && open === '{' ? '}' : next === 'k' && open === '<' ? '>' : null;
  const end = close === null ? -1 : source.indexOf(close, i + 3);
  return end === -1 ? 2 : end - i + 1;
}

/** Index just after the class that opens at `i`; in JS `[]` is an empty class, so `]` right after `[` closes it. */
function classEnd(source: string, i: number): number {
  for (let j = i + 1; j < source.length; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === ']') return j + 1;
  }
  return source.length;
}
