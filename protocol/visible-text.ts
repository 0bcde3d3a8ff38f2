// Text from files (file names, paths, log lines) shown to a person: characters that change how the text
// around them reads without showing themselves (bidi overrides, zero-width characters, control codes) are
// shown as `⟨U+XXXX⟩` instead, so `bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log` never reads as `bidiexe.txt.log` and
// `app⟨U+200B⟩.log` never looks like `app.log` (Unicode TR36 §2.4, CVE-2021-42574 "Trojan Source").
// Shared by the page (names, paths, links, marks inside log lines) and the server (terminal warnings,
// Prometheus labels).

/**
 * What is never shown as it is in a name: C0 and C1 controls, bidi controls, zero-width and other invisible
 * format characters, and the invisible fillers that render as blank. Global: use with `replace`.
 */
export const INVISIBLE_IN_NAMES =
  /[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]/g;

/**
 * What is shown as a mark inside a log line: bidi controls and zero-width characters. Joiners (U+200C,
 * U+200D) and variation selectors are left alone there: emoji and many scripts need them, and a line is
 * not a name someone picks by how it looks.
 */
export const INVISIBLE_IN_LINES = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** `⟨U+202E⟩` for one code unit. */
export function codePointMark(char: string): string {
  return `⟨${codePoint(char)}⟩`;
}

/** `U+202E` for one code unit. */
function codePoint(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `name` with every character of INVISIBLE_IN_NAMES written as its `⟨U+XXXX⟩` mark. */
export function visibleName(name: string): string {
  INVISIBLE_IN_NAMES.lastIndex = 0;
  return INVISIBLE_IN_NAMES.test(name) ? name.replace(INVISIBLE_IN_NAMES, codePointMark) : name;
}

/** Names of the characters of INVISIBLE_IN_LINES (the Unicode character database's), for a mark's tooltip. */
const LINE_CHARACTER_NAMES: Readonly<Record<string, string>> = {
  '\u061C': 'ARABIC LETTER MARK',
  '\u200B': 'ZERO WIDTH SPACE',
  '\u200E': 'LEFT-TO-RIGHT MARK',
  '\u200F': 'RIGHT-TO-LEFT MARK',
  '\u202A': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202B': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202C': 'POP DIRECTIONAL FORMATTING',
  '\u202D': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202E': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2060': 'WORD JOINER',
  '\u2061': 'FUNCTION APPLICATION',
  '\u2062': 'INVISIBLE TIMES',
  '\u2063': 'INVISIBLE SEPARATOR',
  '\u2064': 'INVISIBLE PLUS',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
  '\uFEFF': 'ZERO WIDTH NO-BREAK SPACE',
};

/** "U+202E RIGHT-TO-LEFT OVERRIDE"; the code point alone for a character without a name here. */
export function describeCharacter(char: string): string {
  const name = LINE_CHARACTER_NAMES[char];
  return name === undefined ? codePoint(char) : `${codePoint(char)} ${name}`;
}

const ANY_INVISIBLE_IN_LINE = new RegExp(INVISIBLE_IN_LINES.source);
const AROUND_INVISIBLE_IN_LINE = new RegExp(`(${INVISIBLE_IN_LINES.source})`);

/**
 * `text` cut around each character of INVISIBLE_IN_LINES: visible text at even indexes (possibly empty),
 * one invisible character at each odd index. `[text]` when there is none, which is most lines.
 */
export function splitAtInvisible(text: string): string[] {
  return ANY_INVISIBLE_IN_LINE.test(text) ? text.split(AROUND_INVISIBLE_IN_LINE) : [text];
}
