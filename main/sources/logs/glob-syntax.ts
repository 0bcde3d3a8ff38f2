// Checks an --include/--exclude glob before it is used. picomatch takes an unclosed `[`, `{` or `(` as a
// literal character, so a typo such as `*.{log` would quietly follow nothing: it is refused instead.
import picomatch from 'picomatch';

/** How every --include/--exclude glob is read (path-filter.ts): `*` matches dot files too. */
export const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true };

const OPENER: Record<string, string> = { ']': '[', '}': '{', ')': '(' };

/**
 * What is wrong with `glob`, as a phrase to follow it (`"[abc" has an unclosed '['; …`), or null when it is
 * fine. A stray closing `]`, `}` or `)` is fine: picomatch matches it as itself, as a user means it.
 */
export function globMistake(glob: string): string | null {
  try {
    picomatch.makeRe(glob, { ...GLOB_OPTIONS, strictBrackets: true });
    return null;
  } catch (err) {
    const message = (err as Error).message;
    // picomatch's words (v4 parse.js): `Missing closing: "]" - use "\\]" to match literal characters`.
    const closing = /^Missing closing: "(.)"/.exec(message)?.[1];
    if (closing !== undefined && OPENER[closing]) {
      const open = OPENER[closing];
      return `has an unclosed '${open}'; a literal ${open} is written \\${open}`;
    }
    if (/^Missing opening/.test(message)) return null;
    const max = /exceeds maximum allowed length: (\d+)/.exec(message)?.[1];
    if (max !== undefined) return `is longer than ${max} characters, the most a glob may have`;
    return `is not a glob picomatch takes: ${message.split('\n')[0]}`;
  }
}
