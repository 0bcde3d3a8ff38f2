// Web addresses in a line of text. Only http:// and https:// ever become links (never javascript:, data:,
// file: or anything else), and punctuation that ends a sentence around an address is left out of it.

export const LINK_LIMITS = {
  /** Links found per line; a line is rarely a list of addresses, and each one is a DOM element. */
  maxPerLine: 32,
} as const;

interface LinkRange {
  start: number;
  end: number;
}

/**
 * `http://` or `https://` as a whole word ("xhttps://" is not an address), then everything up to the first
 * whitespace, quote, angle bracket or control character: none of those is ever part of a URL.
 */
const URL_PATTERN = /(?<![\p{L}\p{N}])https?:\/\/[^\s"'`<>\p{Cc}]+/giu;
/** Dropped from the end of an address: a sentence's punctuation, not the address's. */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', '*', '\u2026']);
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** The http(s) URLs in `text`, [start, end) each, or undefined when there is none. */
export function findLinks(text: string): LinkRange[] | undefined {
  if (text.indexOf('://') < 0) return undefined;
  let links: LinkRange[] | undefined;
  URL_PATTERN.lastIndex = 0;
  for (let match = URL_PATTERN.exec(text); match !== null; match = URL_PATTERN.exec(text)) {
    const url = match[0];
    const length = trimmedLength(url);
    // Nothing left after the scheme ("see https://."): not an address.
    if (length > url.indexOf('//') + 2) {
      (links ??= []).push({ start: match.index, end: match.index + length });
      if (links.length >= LINK_LIMITS.maxPerLine) break;
    }
  }
  return links;
}

/**
 * The address's length without trailing sentence punctuation, nor a closing bracket it does not open
 * itself: "(see https://x.io/a)." gives "https://x.io/a"; "https://en.wikipedia.org/wiki/Tar_(computing)" stays.
 */
function trimmedLength(url: string): number {
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1]!;
    const opener = OPENER_OF[last];
    const unbalanced = opener !== undefined && occurrences(url, opener, end) < occurrences(url, last, end);
    if (!TRAILING.has(last) && !unbalanced) break;
    end--;
  }
  return end;
}

/** How often `char` occurs in url[0, end). */
function occurrences(url: string, char: string, end: number): number {
  let n = 0;
  for (let i = url.indexOf(char); i >= 0 && i < end; i = url.indexOf(char, i + 1)) n++;
  return n;
}
