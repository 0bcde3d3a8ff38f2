// logrotate's numbered scheme under a --dir that follows every rotated name too (app.log, app.log.1 … .3,
// the oldest deleted), rotating again and again while the writer appends through its old fd for a moment
// after each rename: the case where several sources hold the same file at once. Seeded, so a failure can be
// replayed; the pauses between steps are random too, so each source sometimes looks first and sometimes last.
// Every line written must come out exactly once, in order within its file, and nothing more after the grace
// periods; a file app.log's source had seen, under app.log (where it was written).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LOG_TIMINGS } from '../../main/sources/logs/limits';

/** Shorter than the defaults, so a run waits less: the old-fd writes below come within 30 ms of a rename. */
const TIMINGS = { ...LOG_TIMINGS, safetyTickMs: 250, rotatedGraceMs: 1000 };
const { rotatedGraceMs: ROTATED_GRACE_MS, safetyTickMs: SAFETY_TICK_MS } = TIMINGS;
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { Random } from '../fixtures/logs/log-model';
import { asText, numbered, startSources } from '../fixtures/logs/start-sources';
import type { RecordingSink } from '../fixtures/logs/recording-sink';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003];
const ROTATIONS = 10;
/** Rotated files kept, as logrotate's `rotate 3`: app.log.4 is deleted. */
const KEPT = 3;

/** Every line that came out, of every source, with the source it came under. */
function delivered(sink: RecordingSink): { text: string; source: string }[] {
  return [...sink.lines].flatMap(([source, lines]) => lines.map((line) => ({ text: line.text, source })));
}

for (const seed of SEEDS) {
  test(`numbered rotation with old-fd writes, ${ROTATIONS} times, under a --dir (seed ${seed}): each line once, in order`, async (t) => {
    const random = new Random(seed);
    const dir = await testDir(t, 'tailwatch-shift-');
    const path = join(dir, 'app.log');
    const name = (n: number) => (n === 0 ? path : `${path}.${n}`);
    let fd = openSync(path, 'a');
    t.after(() => closeSync(fd));
    const { sink } = await startSources(t, { dir: [dir], timings: TIMINGS });

    const files: string[][] = []; // the lines of each generation of app.log, in the order written
    let generation: string[] = [];
    files.push(generation);
    /** Generations app.log's source had read from app.log before they were rotated. */
    const seen = new Set<string[]>();
    const write = (count: number) => {
      const lines = numbered(1, count, `g${files.length - 1}`).map((l, i) => `${l} #${generation.length + i + 1}`);
      writeSync(fd, asText(lines));
      generation.push(...lines);
    };

    write(random.int(1, 20));
    for (let r = 0; r < ROTATIONS; r++) {
      // The oldest may go only once it has been read: a file deleted unread is lost whatever a tailer does.
      // Half the time app.log's source has also read the current file before it is rotated; else it may
      // never have seen it at app.log (rotated faster than it looks).
      const everyLine = files.flat().length;
      const seenFirst = random.chance(0.5);
      await waitFor(() => delivered(sink).length >= everyLine - (seenFirst ? 0 : generation.length), `generation ${files.length - 1} to be read`);
      if (seenFirst) seen.add(generation);
      rmSync(name(KEPT + 1), { force: true });
      for (let n = KEPT; n >= 0; n--) {
        try {
          renameSync(name(n), name(n + 1));
        } catch {
          // not there yet (the first rotations)
        }
      }
      if (random.chance(0.5)) await delay(random.int(0, 30));
      write(random.int(0, 5)); // the writer has not reopened yet: through the old fd, to what is now app.log.1
      closeSync(fd);
      fd = openSync(path, 'a');
      generation = [];
      files.push(generation);
      if (random.chance(0.5)) await delay(random.int(0, 30));
      write(random.int(1, 40));
    }

    const expected = files.flat();
    await waitFor(() => delivered(sink).length >= expected.length, `${expected.length} lines`, 15_000, () => delivered(sink).length);
    // Past every grace period: a source that took a file over late must not read it again.
    await delay(ROTATED_GRACE_MS + 2 * SAFETY_TICK_MS);

    const got = delivered(sink);
    const pathOf = new Map(sink.sourceEvents.map((e) => [e.source.id, e.source.path.slice(dir.length + 1)]));
    const texts = got.map((g) => g.text);
    const repeated = got.filter((g, i) => texts.indexOf(g.text) !== i).map((g) => `${g.text} again under ${pathOf.get(g.source)}`);
    assert.deepEqual(repeated, [], 'no line twice');
    assert.deepEqual([...texts].sort(), [...expected].sort(), 'every line written, nothing else');
    for (const file of files) {
      // Each generation's lines keep their order within whichever source showed them.
      const bySource = new Map<string, string[]>();
      for (const g of got) if (file.includes(g.text)) bySource.set(g.source, [...(bySource.get(g.source) ?? []), g.text]);
      for (const shown of bySource.values()) assert.deepEqual(shown, file.filter((l) => shown.includes(l)), `the order of ${file[0] ?? 'a file'}…`);
    }
    // A file app.log's source had read at app.log is shown under app.log to its end (old-fd writes after
    // the rename included), whichever source looks first (rotation-handoff.test.ts shows the order that used
    // to move it). One rotated away before that source looked is claimed by it when it can, but another name
    // may show it: not asserted.
    const seenLines = new Set([...seen].flat());
    const elsewhere = got.filter((g) => seenLines.has(g.text) && g.source !== sourceIdOf(path)).map((g) => `${g.text} under ${g.source}`);
    assert.deepEqual(elsewhere.map((e) => e.replace(/under (\S+)/, (_m, id: string) => `under ${pathOf.get(id)}`)), []);
    assert.deepEqual(sink.violations, []);
  });
}
