import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_WINDOW_SIZE, restoreBounds } from '../../main/desktop/window-bounds';

const laptop = { x: 0, y: 0, width: 1366, height: 740 };
const external = { x: 1366, y: 0, width: 2560, height: 1400 };

test('the saved place and size come back when the display is still there', () => {
  const saved = { x: 1500, y: 100, width: 1600, height: 900, maximized: false };
  assert.deepEqual(restoreBounds(saved, [laptop, external]), saved);
  assert.deepEqual(restoreBounds({ ...saved, maximized: true }, [laptop, external])?.maximized, true);
});

test('a window left on a display that is gone opens with the default size (null), not off screen', () => {
  const saved = { x: 1500, y: 100, width: 1600, height: 900, maximized: false };
  assert.equal(restoreBounds(saved, [laptop]), null);
  assert.equal(restoreBounds(null, [laptop]), null);
});

test('a window bigger than its display, or hanging over its edge, is shrunk and moved inside it', () => {
  const restored = restoreBounds({ x: 1000, y: -20, width: 3000, height: 2000, maximized: false }, [laptop]);
  assert.deepEqual(restored, { x: 0, y: 0, width: 1366, height: 740, maximized: false });
  const edge = restoreBounds({ x: 1200, y: 300, width: 800, height: 600, maximized: false }, [laptop]);
  assert.deepEqual(edge, { x: 566, y: 140, width: 800, height: 600, maximized: false });
});

test('a title bar with only a sliver on screen does not count as visible; sizes never go below the minimum', () => {
  assert.equal(restoreBounds({ x: 1350, y: 10, width: 800, height: 600, maximized: false }, [laptop]), null);
  const tiny = restoreBounds({ x: 10, y: 10, width: 100, height: 50, maximized: false }, [laptop]);
  assert.equal(tiny?.width, MIN_WINDOW_SIZE.width);
  assert.equal(tiny?.height, MIN_WINDOW_SIZE.height);
});
