// The panel's icons: 16×16 stroked paths built with createElementNS, so there is no file to fetch and no
// markup to parse (the page's CSP allows neither inline markup nor other origins).

const SVG_NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  search: ['M11 7a4 4 0 1 1-8 0a4 4 0 1 1 8 0Z', 'M10 10l3.5 3.5'],
  filter: ['M2.5 3h11l-4.25 5.25V13l-2.5-1.25v-3.5Z'],
  highlight: ['M9.5 2.5l4 4-5.5 5.5H4v-4Z', 'M2.5 14.5h11'],
  invert: ['M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11Z', 'M4.2 11.8l7.6-7.6'],
  sources: ['M2.5 4h11', 'M2.5 8h11', 'M2.5 12h11'],
  rules: ['M2.5 4h2', 'M6.5 4h7', 'M2.5 8h2', 'M6.5 8h7', 'M2.5 12h2', 'M6.5 12h7'],
  merged: ['M2.5 2.5h11v11h-11Z', 'M2.5 6h11'],
  split: ['M2.5 2.5h11v11h-11Z', 'M8 2.5v11'],
  columns: ['M2.5 3.5h11v9h-11Z', 'M6 3.5v9', 'M9.5 3.5v9'],
  wrap: ['M2.5 4h11', 'M2.5 8h8.5a2.25 2.25 0 0 1 0 4.5H8', 'M9.5 11 8 12.5 9.5 14', 'M2.5 12.5h3'],
  pause: ['M5.5 3v10', 'M10.5 3v10'],
  play: ['M4.5 3v10l8.5-5Z'],
  copy: ['M5.5 5.5h8v8h-8Z', 'M10.5 5.5v-3h-8v8h3'],
  download: ['M8 2.5v8', 'M4.5 7L8 10.5 11.5 7', 'M3 13.5h10'],
  clear: ['M3 4.5h10', 'M6.5 4.5V3h3v1.5', 'M4.5 4.5l.75 9h5.5l.75-9'],
  chevron: ['M4.5 6.5 8 10l3.5-3.5'],
  down: ['M8 3v9.5', 'M4 8.5l4 4 4-4'],
  close: ['M4.5 4.5l7 7', 'M11.5 4.5l-7 7'],
  plus: ['M8 3.5v9', 'M3.5 8h9'],
  folder: ['M2 4h4.5L8 5.5h6v7.5H2Z'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
