// One measured server: a fresh temp dir with one empty log file in it, the server following that dir,
// torn down whatever happens. Every figure gets its own, so no run inherits another's ring or state.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type ServerProcess } from './server-process';
import { makeTempDir } from './util';

export interface Bed {
  server: ServerProcess;
  /** The log file the run appends to (created empty before the server starts, so it is followed from 0). */
  file: string;
  dir: string;
}

export async function withBed<T>(name: string, serverArgs: string[], body: (bed: Bed) => Promise<T>): Promise<T> {
  const dir = await makeTempDir(name);
  try {
    const file = join(dir.path, `${name}.log`);
    // Created before the server starts: it is there at the initial scan, so with --backfill 0 it is
    // followed from its (empty) end, and the first write needs no discovery of a new file.
    await writeFile(file, '');
    const server = await startServer({ dir: dir.path, args: serverArgs });
    try {
      return await body({ server, file, dir: dir.path });
    } finally {
      const how = await server.stop();
      if (how !== '0') console.log(`  (server ${server.pid} stopped with ${how}, not exit code 0)`);
      const warnings = server.stderr().trim();
      if (warnings) console.log(`  server stderr: ${warnings.split('\n').slice(0, 5).join('\n  ')}`);
    }
  } finally {
    await dir.remove();
  }
}
