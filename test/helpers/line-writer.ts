// A writer that keeps appending numbered lines to a file (a few at a time, as an app logs) until stopped, so
// a test can kill things while lines are being written and then check that every one arrived once.
import { appendFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface LineWriter {
  /** Lines written so far. */
  written(): number;
  /** Resolves once at least `count` lines have been written. */
  reach(count: number): Promise<void>;
  /** Stops after the batch being written; resolves with every line written, in order. */
  stop(): Promise<string[]>;
}

export function startWriter(path: string, options: { firstLine: number; perBatch?: number; pauseMs?: number; prefix?: string }): LineWriter {
  const { perBatch = 7, pauseMs = 3, prefix = 'line' } = options;
  const texts: string[] = [];
  let next = options.firstLine;
  let stopped = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  const loop = (async () => {
    while (!stopped) {
      const batch = Array.from({ length: perBatch }, () => `${prefix} ${next++}`);
      appendFileSync(path, batch.map((l) => l + '\n').join(''));
      texts.push(...batch);
      for (const w of waiters.splice(0)) {
        if (texts.length >= w.count) w.resolve();
        else waiters.push(w);
      }
      await delay(pauseMs);
    }
  })();
  return {
    written: () => texts.length,
    reach: (count) => (texts.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    async stop() {
      stopped = true;
      await loop;
      return texts;
    },
  };
}
