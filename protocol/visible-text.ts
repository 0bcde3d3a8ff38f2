// Text from files (file names, paths, log lines) shown to a person: characters that change how the text
// around them reads without showing themselves (bidi overrides, zero-width characters, control codes) are
// shown as `⟨U+XXXX⟩` instead, so `bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log` never reads as `bidiexe.txt.log` and
// `app⟨U+200B⟩.log` never looks like `app.log` (Unicode TR36 §2.4, CVE-2021-42574 "Trojan Source").
// Shared by the page (names, paths, links) and the server (terminal warnings, Prometheus labels).

/** Bidirectional formatting characters (UAX #9 §2): embeddings, overrides, isolates, and the marks. */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

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
  return `⟨U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** `name` with every character of INVISIBLE_IN_NAMES written as its `⟨U+XXXX⟩` mark. */
export function visibleName(name: string): string {
  INVISIBLE_IN_NAMES.lastIndex = 0;
  return INVISIBLE_IN_NAMES.test(name) ? name.replace(INVISIBLE_IN_NAMES, codePointMark) : name;
}
