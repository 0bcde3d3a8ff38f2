// Finds a top-level field of a JSON-object log line without parsing it: level and timestamp detection look
// at every line, and JSON.parse of each would cost more than the rest of the tailer together.

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COLON = 58;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/**
 * Where the value of the first top-level field of a JSON-object line named one of `keys` (compared ignoring
 * ASCII case) starts, or -1. A key must end within the first `limit` chars, so a field written after a long
 * message is not found; the scan is no proof the line is valid JSON.
 */
export function findJsonFieldValue(text: string, keys: readonly string[], limit: number): number {
  // Strings are skipped with a native indexOf, much faster than a charCodeAt loop; the slice bounds it.
  const head = text.length > limit ? text.slice(0, limit) : text;
  const end = head.length;
  let depth = 0;
  for (let i = 0; i < end; i++) {
    const c = head.charCodeAt(i);
    if (c === QUOTE) {
      const close = closingQuote(head, i + 1);
      if (close < 0) return -1;
      if (depth === 1) {
        const colon = skipSpace(head, close + 1, end);
        if (colon < end && head.charCodeAt(colon) === COLON) {
          if (isOneOfKeys(head, i + 1, close, keys)) {
            const value = skipSpace(head, colon + 1, end);
            return value < end ? value : -1;
          }
          i = colon;
          continue;
        }
      }
      i = close;
    } else if (c === LBRACE || c === LBRACKET) {
      depth++;
    } else if (c === RBRACE || c === RBRACKET) {
      depth--;
    }
  }
  return -1;
}

/** The index of the `"` that ends a JSON string whose first char is at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote > 0 && text.charCodeAt(quote - 1) === BACKSLASH) {
    let backslash = quote - 1;
    while (text.charCodeAt(backslash - 1) === BACKSLASH) backslash--;
    if ((quote - backslash) % 2 === 0) break; // an even run of backslashes escapes itself, not the quote
    quote = text.indexOf('"', quote + 1);
  }
  return quote;
}

function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  return i;
}

function isOneOfKeys(text: string, start: number, end: number, keys: readonly string[]): boolean {
  const length = end - start;
  for (const key of keys) {
    if (key.length !== length) continue;
    let i = 0;
    while (i < length && lowerAscii(text.charCodeAt(start + i)) === key.charCodeAt(i)) i++;
    if (i === length) return true;
  }
  return false;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
