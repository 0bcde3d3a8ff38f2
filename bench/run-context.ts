// One measured server: a fresh temp dir with one empty log file in it, the server following that dir,
// torn down whatever happens. Every figure gets its own, so no run inherits another's ring or state.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFrontail } from './frontail';
import { startServer, type ServerProcess } from './server-process';
import { makeTempDir } from './util';

export interface Bed {
  server: ServerProcess;
  /** The log file the run appends to (created empty before the server starts, so it is followed from 0). */
  file: string;
  dir: string;
}

/** Which server a figure measures: tailwatch (`serve`, with `serverArgs`), or frontail on the same file. */
export type Peer = 'tailwatch' | 'frontail';

/** `serverArgs`: tailwatch's `serve` options; or which peer, with them. */
export async function withBed<T>(name: string, server: string[] | { peer: Peer; args?: string[] }, body: (bed: Bed) => Promise<T>): Promise<T> {
  const { peer, args } = Array.isArray(server) ? { peer: 'tailwatch' as Peer, args: server } : server;
  const dir = await makeTempDir(name);
  try {
    const file = join(dir.path, `${name}.log`);
    // Created before the server starts: it is there at the initial scan, so with --backfill 0 it is
    // followed from its (empty) end, and the first write needs no discovery of a new file.
    await writeFile(file, '');
    const server = peer === 'frontail' ? await startFrontail(file) : await startServer({ dir: dir.path, args });
    try {
      return await body({ server, file, dir: dir.path });
    } finally {
      const how = await server.stop();
      // frontail is stopped with SIGKILL on purpose (bench/frontail.ts); tailwatch must exit cleanly.
      if (how !== '0' && peer === 'tailwatch') console.log(`  (server ${server.pid} stopped with ${how}, not exit code 0)`);
      const warnings = server.stderr().trim();
      if (warnings) console.log(`  server stderr: ${warnings.split('\n').slice(0, 5).join('\n  ')}`);
    }
  } finally {
    await dir.remove();
  }
}
