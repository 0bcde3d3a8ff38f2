// The fixed timings and bounds of the metrics sampler, in one place.

/** One sample a second, at whole seconds of the wall clock. */
export const SAMPLE_INTERVAL_MS = 1000;

/** The process list is read every this many samples (about 5 s), and only while a client wants it. */
export const PROCESS_SAMPLE_EVERY = 5;

/** Processes listed by CPU and, separately, by memory. */
export const TOP_PROCESSES = 10;

/** /proc/[pid]/stat files read in one turn of the event loop before yielding (bounds the pause it causes). */
export const PROCESS_READ_CHUNK = 128;

/**
 * Clock ticks per second of /proc/stat and /proc/[pid]/stat. USER_HZ is 100 on every architecture Linux
 * runs Node on (it is part of the ABI, unlike the kernel's internal HZ).
 */
export const USER_HZ = 100;

/** A sample waits this long at most for statfs answers; a mount that has not answered shows its last figures. */
export const STATFS_WAIT_MS = 250;

/** The mount table is read again this often (mounts change rarely; statfs still runs every sample). */
export const MOUNTS_REFRESH_MS = 10_000;

/**
 * Event-loop lag is read by a timer this often (self-sampler.ts LagMeter). Finer catches shorter stalls but
 * wakes the process more; measured idle on the development VM: 100 ms costs 0.17% of a core, 50 ms 0.3–0.36%
 * (perf_hooks.monitorEventLoopDelay, native, costs about half that per wake-up but loses stalls, see LagMeter).
 * A stall of L ms shows as a lag between L − 100 and L.
 */
export const LAG_RESOLUTION_MS = 100;

/** A problem reading one figure is warned about once per file (or mount) and kind of error, not every second. */
export const WARNED_PROBLEMS_KEPT = 256;

/** Off Linux, systeminformation (which runs tools there) is asked for what `os` lacks this often. */
export const EXTRAS_REFRESH_MS = 5000;
