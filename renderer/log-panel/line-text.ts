// A log line's message as DOM: its ANSI style runs, query and highlight marks, and links, split at every
// boundary they share and nested link > mark > styled span. Every character goes in as a text node, but
// bidi controls and zero-width characters go in as visible marks; a link becomes an anchor only when it
// parses as an http(s) URL here too.
import { codePointMark, describeCharacter, splitAtInvisible } from '../../protocol/visible-text';
import type { LineRow, MarkRange } from '../worker-channel/worker-protocol';
import { paintStyleRun } from './ansi-style';

interface Link {
  start: number;
  end: number;
  href: string;
}

/** Draws the first `maxChars` characters of `row.text` into `parent` (a row's first line, or a line under it). */
export function appendMessage(parent: HTMLElement, row: Pick<LineRow, 'text' | 'styles' | 'marks' | 'links'>, maxChars: number): void {
  const { text } = row;
  const end = Math.min(text.length, maxChars);
  const styles = byStart(row.styles, end);
  const marks = byStart(row.marks, end);
  const links = safeLinks(text, row.links, end);
  if (styles.length === 0 && marks.length === 0 && links.length === 0) {
    appendLineText(parent, end < text.length ? text.slice(0, end) : text);
    return;
  }
  const cuts = boundaries(end, styles, marks, links);
  const open: MarkRange[] = [];
  let nextStyle = 0;
  let nextLink = 0;
  let nextMark = 0;
  // `undefined` until the first segment, so that the first one always opens its containers.
  let link: Link | null | undefined;
  let linkElement: HTMLAnchorElement | null = null;
  let mark: MarkRange | null | undefined;
  let markElement: HTMLElement | null = null;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const from = cuts[c]!;
    const to = cuts[c + 1]!;
    while (nextStyle < styles.length && styles[nextStyle]!.end <= from) nextStyle++;
    const style = nextStyle < styles.length && styles[nextStyle]!.start <= from ? styles[nextStyle]! : null;
    while (nextLink < links.length && links[nextLink]!.end <= from) nextLink++;
    const segmentLink = nextLink < links.length && links[nextLink]!.start <= from ? links[nextLink]! : null;
    while (nextMark < marks.length && marks[nextMark]!.start <= from) open.push(marks[nextMark++]!);
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.end <= from) open.splice(k, 1);
    const segmentMark = strongest(open);

    if (segmentLink !== link) {
      link = segmentLink;
      linkElement = link === null ? null : anchor(link.href);
      if (linkElement !== null) parent.append(linkElement);
      mark = undefined;
    }
    if (segmentMark !== mark) {
      mark = segmentMark;
      markElement = mark === null ? null : markFor(mark.rule);
      if (markElement !== null) (linkElement ?? parent).append(markElement);
    }
    const container = markElement ?? linkElement ?? parent;
    const piece = text.slice(from, to);
    if (style === null) {
      appendLineText(container, piece);
    } else {
      const span = document.createElement('span');
      paintStyleRun(span, style);
      appendLineText(span, piece);
      container.append(span);
    }
  }
}

/**
 * Appends text of a log line as text nodes, each bidi control or zero-width character (INVISIBLE_IN_LINES)
 * as a `⟨U+202E⟩` mark instead: left in as it is, an override would reorder the text after it and a
 * zero-width space would hide between letters (CVE-2021-42574). The mark is text, so it reorders nothing.
 */
export function appendLineText(parent: HTMLElement, text: string): void {
  const parts = splitAtInvisible(text);
  if (parts.length === 1) {
    if (text !== '') parent.append(text);
    return;
  }
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (k % 2 === 0) {
      if (part !== '') parent.append(part);
      continue;
    }
    const mark = document.createElement('span');
    mark.className = 'invisible-char';
    mark.title = describeCharacter(part);
    mark.textContent = codePointMark(part);
    parent.append(mark);
  }
}

/** The ranges that start before `end`, in order of their start (the worker's order, made sure of). */
function byStart<T extends { start: number; end: number }>(ranges: readonly T[] | undefined, end: number): T[] {
  if (ranges === undefined) return [];
  return ranges.filter((range) => range.start < end && range.end > range.start).sort((a, b) => a.start - b.start);
}

function safeLinks(text: string, ranges: LineRow['links'], end: number): Link[] {
  const links: Link[] = [];
  for (const range of byStart(ranges, end)) {
    const href = httpHref(text.slice(range.start, range.end));
    if (href !== null) links.push({ start: range.start, end: range.end, href });
  }
  return links;
}

/** The URL, normalised, when it is http(s); anything else (javascript:, data:, garbage) is not a link. */
function httpHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function boundaries(end: number, ...lists: readonly (readonly { start: number; end: number }[])[]): number[] {
  const cuts = new Set<number>([0, end]);
  for (const list of lists) {
    for (const range of list) {
      cuts.add(Math.max(0, range.start));
      cuts.add(Math.min(end, range.end));
    }
  }
  return [...cuts].sort((a, b) => a - b);
}

/** Where marks overlap, the query's mark shows; among highlight rules, the first rule's. */
function strongest(open: readonly MarkRange[]): MarkRange | null {
  let best: MarkRange | null = null;
  for (const mark of open) if (best === null || mark.rule < best.rule) best = mark;
  return best;
}

function anchor(href: string): HTMLAnchorElement {
  const link = document.createElement('a');
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

/** Rule −1 is the query (`hl-query`); rule k ≥ 0 takes its colour from `--hl-k`, set on the panel. */
function markFor(rule: number): HTMLElement {
  const mark = document.createElement('mark');
  mark.className = rule < 0 ? 'hl hl-query' : `hl hl-rule-${rule}`;
  return mark;
}
