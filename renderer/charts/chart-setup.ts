// Chart.js as the charts use it: only the parts they draw with are registered (no chart.js/auto), plus one
// interaction mode, `sameTime`, that the tooltips and hover dots use.
import {
  Chart,
  Decimation,
  Filler,
  Interaction,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type InteractionItem,
  type InteractionModeFunction,
} from 'chart.js';

declare module 'chart.js' {
  interface InteractionModeMap {
    sameTime: InteractionModeFunction;
  }
}

/** A dataset with no point this close (in CSS pixels) to the pointer's x is left out of the tooltip. */
const HOVER_REACH_PX = 24;

// No Legend plugin: the legend is HTML (chart-legend.ts), reachable by keyboard.
Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip, Decimation);

/**
 * Per visible dataset, the point nearest the pointer's x. The built-in `index` mode pairs points by their
 * position in each array, which is only the same time when every dataset has a point at every sample:
 * decimation keeps different points per dataset, and interfaces or sources come and go.
 */
Interaction.modes.sameTime = (chart, event) => {
  const { x, y } = event;
  const area = chart.chartArea;
  if (x === null || y === null || x < area.left || x > area.right || y < area.top || y > area.bottom) return [];
  const items: InteractionItem[] = [];
  for (const meta of chart.getSortedVisibleDatasetMetas()) {
    const elements = meta.data as unknown as readonly PointElement[];
    let lo = 0;
    let hi = elements.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (elements[mid]!.x < x) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    for (const i of [lo - 1, lo]) {
      const element = elements[i];
      if (element !== undefined && (best === -1 || Math.abs(element.x - x) < Math.abs(elements[best]!.x - x))) best = i;
    }
    if (best !== -1 && Math.abs(elements[best]!.x - x) <= HOVER_REACH_PX) {
      items.push({ element: elements[best]!, datasetIndex: meta.index, index: best });
    }
  }
  return items;
};

export { Chart };
