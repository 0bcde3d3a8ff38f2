// Where the window opens: the size and place it had last time, if that still fits on a display now
// (a monitor unplugged since must not leave the window off screen), else a default size centred by Electron.

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
/** Smaller than this and the dashboard's toolbar wraps into uselessness. */
export const MIN_WINDOW_SIZE = { width: 640, height: 420 } as const;
/** At least this much of the title bar must be on a display to count as visible (so it can be dragged). */
const VISIBLE_GRIP_PX = 48;

/**
 * The bounds to open with: the saved ones, shrunk to the display that holds most of their title bar, or
 * null (let Electron centre a default-sized window) when no display shows enough of it.
 */
export function restoreBounds(saved: WindowBounds | null, workAreas: readonly Rectangle[]): WindowBounds | null {
  if (!saved) return null;
  const { x, y } = saved;
  const titleBar: Rectangle = { x, y, width: saved.width, height: Math.min(saved.height, 32) };
  let best: Rectangle | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const overlap = intersection(titleBar, area);
    if (overlap > bestArea) [best, bestArea] = [area, overlap];
  }
  if (!best || bestArea < VISIBLE_GRIP_PX * Math.min(titleBar.height, 16)) return null;
  const width = clamp(saved.width, MIN_WINDOW_SIZE.width, best.width);
  const height = clamp(saved.height, MIN_WINDOW_SIZE.height, best.height);
  return {
    x: clamp(x, best.x, best.x + best.width - width),
    y: clamp(y, best.y, best.y + best.height - height),
    width,
    height,
    maximized: saved.maximized,
  };
}

function intersection(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}
