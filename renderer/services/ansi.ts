// ANSI escape sequences in log lines: taken out of the text that is filtered and drawn, and their SGR
// colours and attributes turned into style runs over that text. Both walk a line the same way, so run
// offsets always match the stripped text.
import type { StyleRun } from '../worker-channel/worker-protocol';

export const ANSI_LIMITS = {
  /** Style runs kept per line; the rest of a line past this many colour changes is drawn plain. */
  maxStyleRuns: 256,
  /** Parameters read from one SGR sequence (`ESC[1;31;…m`); the rest are ignored. */
  maxSgrParams: 32,
} as const;

const ESC = 0x1b;
const BEL = 0x07;
const BACKSLASH = 0x5c;
const LEFT_BRACKET = 0x5b;
const LOWER_M = 0x6d;

/** The line without escape sequences; the same string when it has none (the common case costs one indexOf). */
export function stripAnsi(raw: string): string {
  let esc = raw.indexOf('\x1b');
  if (esc < 0) return raw;
  let text = '';
  let from = 0;
  while (esc >= 0) {
    text += raw.slice(from, esc);
    from = sequenceEnd(raw, esc);
    esc = raw.indexOf('\x1b', from);
  }
  return text + raw.slice(from);
}

/** SGR style runs over stripAnsi(raw), offsets in that text; only styled stretches get a run. Never throws. */
export function styleRuns(raw: string): StyleRun[] {
  const runs: StyleRun[] = [];
  const style = new SgrStyle();
  let textPos = 0;
  let runStart = 0;
  let from = 0;
  let esc = raw.indexOf('\x1b');
  while (esc >= 0 && runs.length < ANSI_LIMITS.maxStyleRuns) {
    textPos += esc - from;
    from = sequenceEnd(raw, esc);
    if (isSgr(raw, esc, from)) {
      if (textPos > runStart && style.styled) runs.push(style.run(runStart, textPos));
      runStart = textPos;
      style.apply(raw.slice(esc + 2, from - 1));
    }
    esc = raw.indexOf('\x1b', from);
  }
  if (esc < 0) {
    textPos += raw.length - from;
    if (textPos > runStart && style.styled && runs.length < ANSI_LIMITS.maxStyleRuns) runs.push(style.run(runStart, textPos));
  }
  return runs;
}

/**
 * End (exclusive) of the escape sequence at raw[esc] (ECMA-48 §5.3–5.6): CSI (`ESC [` parameters,
 * intermediates, one final byte); OSC, DCS, SOS, PM and APC strings, up to BEL or ST (`ESC \`), or the
 * end of the line when unterminated; else `ESC`, intermediates, one final byte. A sequence broken by a
 * byte it cannot contain ends before that byte, which stays in the text.
 */
function sequenceEnd(raw: string, esc: number): number {
  const length = raw.length;
  if (esc + 1 >= length) return length;
  const kind = raw.charCodeAt(esc + 1);
  if (kind === LEFT_BRACKET) {
    for (let i = esc + 2; i < length; i++) {
      const c = raw.charCodeAt(i);
      if (c >= 0x40 && c <= 0x7e) return i + 1;
      if (c < 0x20 || c > 0x3f) return i;
    }
    return length;
  }
  // `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC.
  if (kind === 0x5d || kind === 0x50 || kind === 0x58 || kind === 0x5e || kind === 0x5f) {
    for (let i = esc + 2; i < length; i++) {
      const c = raw.charCodeAt(i);
      if (c === BEL) return i + 1;
      if (c === ESC && raw.charCodeAt(i + 1) === BACKSLASH) return i + 2;
    }
    return length;
  }
  let i = esc + 1;
  while (i < length && raw.charCodeAt(i) >= 0x20 && raw.charCodeAt(i) <= 0x2f) i++;
  if (i < length && raw.charCodeAt(i) >= 0x30 && raw.charCodeAt(i) <= 0x7e) return i + 1;
  return i;
}

/** `ESC [ digits ; : … m`: a private-marked CSI ending in `m` (`ESC[>4;2m`) is something else. */
function isSgr(raw: string, esc: number, end: number): boolean {
  if (raw.charCodeAt(esc + 1) !== LEFT_BRACKET || raw.charCodeAt(end - 1) !== LOWER_M || end - esc < 3) return false;
  for (let i = esc + 2; i < end - 1; i++) {
    const c = raw.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a)) return false;
  }
  return true;
}

/** A parameter as a number: '' is 0 (SGR's default), anything but up to 3 digits is -1. */
function parameter(field: string | undefined): number {
  if (field === undefined) return -1;
  if (field.length > 3) return -1;
  let value = 0;
  for (let i = 0; i < field.length; i++) {
    const digit = field.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const hex = (n: number): string => n.toString(16).padStart(2, '0');

/** The colour of `38;5;n` / `38;2;r;g;b` from its fields after the 38 (or 48): the colour and fields used. */
function extendedColour(fields: readonly string[], at: number, colonForm: boolean): { colour: number | string | null; used: number } {
  const mode = parameter(fields[at]);
  if (mode === 5) {
    const index = parameter(fields[at + 1]);
    return { colour: index >= 0 && index <= 255 ? index : null, used: 2 };
  }
  if (mode === 2) {
    // `38:2:cs:r:g:b` (ITU T.416, with a colour-space id) and `38:2:r:g:b` (xterm) are both in use.
    const skip = colonForm && fields.length - at >= 5 ? 1 : 0;
    const r = parameter(fields[at + 1 + skip]);
    const g = parameter(fields[at + 2 + skip]);
    const b = parameter(fields[at + 3 + skip]);
    const valid = r >= 0 && r <= 255 && g >= 0 && g <= 255 && b >= 0 && b <= 255;
    return { colour: valid ? `#${hex(r)}${hex(g)}${hex(b)}` : null, used: 4 + skip };
  }
  return { colour: null, used: 1 };
}

/** The graphic rendition in force while walking a line. */
class SgrStyle {
  private fg: number | string | undefined;
  private bg: number | string | undefined;
  private bold = false;
  private dim = false;
  private italic = false;
  private underline = false;
  private inverse = false;
  private strike = false;

  get styled(): boolean {
    return this.fg !== undefined || this.bg !== undefined || this.bold || this.dim || this.italic || this.underline || this.inverse || this.strike;
  }

  run(start: number, end: number): StyleRun {
    const run: StyleRun = { start, end };
    if (this.fg !== undefined) run.fg = this.fg;
    if (this.bg !== undefined) run.bg = this.bg;
    if (this.bold) run.bold = true;
    if (this.dim) run.dim = true;
    if (this.italic) run.italic = true;
    if (this.underline) run.underline = true;
    if (this.inverse) run.inverse = true;
    if (this.strike) run.strike = true;
    return run;
  }

  /** Applies the parameters of one SGR sequence (between `ESC[` and `m`); unknown codes are ignored. */
  apply(parameters: string): void {
    const fields = parameters.split(';', ANSI_LIMITS.maxSgrParams);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (field.includes(':')) {
        this.applyColonForm(field.split(':', ANSI_LIMITS.maxSgrParams));
        continue;
      }
      const code = parameter(field);
      if (code === 38 || code === 48) {
        const { colour, used } = extendedColour(fields, i + 1, false);
        if (colour !== null) this.setColour(code, colour);
        i += used;
        continue;
      }
      this.applyCode(code);
    }
  }

  /** `38:5:n`, `48:2::r:g:b`, `4:3` (curly underline): one field with sub-parameters. */
  private applyColonForm(parts: readonly string[]): void {
    const code = parameter(parts[0]);
    if (code === 38 || code === 48) {
      const { colour } = extendedColour(parts, 1, true);
      if (colour !== null) this.setColour(code, colour);
    } else if (code === 4) {
      this.underline = parameter(parts[1]) !== 0;
    } else {
      this.applyCode(code);
    }
  }

  private setColour(code: 38 | 48, colour: number | string): void {
    if (code === 38) this.fg = colour;
    else this.bg = colour;
  }

  private applyCode(code: number): void {
    if (code >= 30 && code <= 37) this.fg = code - 30;
    else if (code >= 90 && code <= 97) this.fg = code - 90 + 8;
    else if (code >= 40 && code <= 47) this.bg = code - 40;
    else if (code >= 100 && code <= 107) this.bg = code - 100 + 8;
    else {
      switch (code) {
        case 0:
          this.fg = this.bg = undefined;
          this.bold = this.dim = this.italic = this.underline = this.inverse = this.strike = false;
          break;
        case 1:
          this.bold = true;
          break;
        case 2:
          this.dim = true;
          break;
        case 3:
          this.italic = true;
          break;
        case 4:
        case 21:
          // 21 is double underline in ECMA-48 and most terminals (a few read it as "bold off").
          this.underline = true;
          break;
        case 7:
          this.inverse = true;
          break;
        case 9:
          this.strike = true;
          break;
        case 22:
          this.bold = this.dim = false;
          break;
        case 23:
          this.italic = false;
          break;
        case 24:
          this.underline = false;
          break;
        case 27:
          this.inverse = false;
          break;
        case 29:
          this.strike = false;
          break;
        case 39:
          this.fg = undefined;
          break;
        case 49:
          this.bg = undefined;
          break;
      }
    }
  }
}
