// `promtool check metrics` (Debian package `prometheus`; .ci/run installs it) on an exposition text.
import { spawn, spawnSync } from 'node:child_process';

/** Why promtool tests must skip, or false when promtool is there. */
export function promtoolMissing(): string | false {
  const probe = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
  return probe.error ? 'promtool is not installed (apt-get install prometheus)' : false;
}

/** The exit code and everything promtool printed: lint problems go to stderr, with exit code 3. */
export function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}
