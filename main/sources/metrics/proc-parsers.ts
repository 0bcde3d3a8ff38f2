// Pure parsers of the Linux /proc files the sampler reads, from their text to plain numbers. No I/O, so
// they are tested on captured files (test/fixtures/proc). Hot paths scan characters; no regex, no split
// per field. Counters are read as doubles: exact up to 2^53 (9 PB); past that a difference of two readings
// is off by a few units, which no rate shows.

/** Jiffies (USER_HZ) per CPU state, in /proc/stat's order. */
export const CPU_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuTimes = number[];

export interface ProcStat {
  /** The `cpu` line: the sum over every core. */
  total: CpuTimes;
  /** One entry per `cpuN` line, in file order (offline cores are absent, so `id` can skip). */
  cores: { id: number; times: CpuTimes }[];
}

export interface DiskCounters {
  name: string;
  /** 512-byte units whatever the device's sector size (Documentation/admin-guide/iostats.rst). */
  sectorsRead: number;
  sectorsWritten: number;
}

export interface NetCounters {
  name: string;
  rxBytes: number;
  txBytes: number;
}

export interface MountEntry {
  device: string;
  mount: string;
  type: string;
}

export interface PidStat {
  pid: number;
  /** The kernel's `comm`: the executable's name cut to 15 bytes (kernel workers append their queue's name). */
  name: string;
  /** utime + stime, in USER_HZ ticks. */
  cpuTicks: number;
  /** When the process started, in USER_HZ ticks since boot. */
  startTicks: number;
  rssPages: number;
}

const TAB = 9;
const SPACE = 32;
const ZERO = 48;
const NINE = 57;
const BACKSLASH = 92;

/**
 * Reads the unsigned decimal integers of text[from, to) into `out` (from index 0) and returns how many.
 * Anything that is not a digit separates numbers.
 */
export function scanUints(text: string, from: number, to: number, out: number[]): number {
  let count = 0;
  let n = 0;
  let inNumber = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      n = n * 10 + (c - ZERO);
      inNumber = true;
    } else if (inNumber) {
      out[count++] = n;
      n = 0;
      inNumber = false;
    }
  }
  if (inNumber) out[count++] = n;
  return count;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function tokenEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) break;
    i++;
  }
  return i;
}

/** /proc/stat: the `cpu` and `cpuN` lines (they come first; the rest of the file is not looked at). */
export function parseProcStat(text: string): ProcStat {
  const total: CpuTimes = [0, 0, 0, 0, 0, 0, 0, 0];
  const cores: ProcStat['cores'] = [];
  const fields: number[] = [];
  let at = 0;
  while (at < text.length && text.startsWith('cpu', at)) {
    const end = lineEnd(text, at);
    const nameEnd = tokenEnd(text, at, end);
    const n = scanUints(text, nameEnd, end, fields);
    // Kernels before 2.6.11 lack steal; the guest fields (already inside user and nice) are left out.
    const times: CpuTimes = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let f = 0; f < CPU_FIELDS.length && f < n; f++) times[f] = fields[f]!;
    if (nameEnd === at + 3) {
      for (let f = 0; f < times.length; f++) total[f] = times[f]!;
    } else {
      let id = 0;
      for (let i = at + 3; i < nameEnd; i++) id = id * 10 + (text.charCodeAt(i) - ZERO);
      cores.push({ id, times });
    }
    at = end + 1;
  }
  return { total, cores };
}

export interface MemInfo {
  /** Bytes. `available` is MemAvailable, or MemFree + Buffers + Cached on kernels before 3.14. */
  total: number;
  available: number;
  /** Page cache: Cached + SReclaimable (as `free` counts its buff/cache, less Buffers). */
  cached: number;
  swapTotal: number;
  swapFree: number;
}

/** /proc/meminfo, kB values to bytes. */
export function parseMeminfo(text: string): MemInfo {
  let total = 0;
  let free = 0;
  let available = -1;
  let buffers = 0;
  let cached = 0;
  let reclaimable = 0;
  let swapTotal = 0;
  let swapFree = 0;
  const value: number[] = [0];
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(text, at);
    const colon = text.indexOf(':', at);
    if (colon !== -1 && colon < end) {
      const kib = scanUints(text, colon + 1, end, value) > 0 ? value[0]! * 1024 : 0;
      switch (text.slice(at, colon)) {
        case 'MemTotal': total = kib; break;
        case 'MemFree': free = kib; break;
        case 'MemAvailable': available = kib; break;
        case 'Buffers': buffers = kib; break;
        case 'Cached': cached = kib; break;
        case 'SReclaimable': reclaimable = kib; break;
        case 'SwapTotal': swapTotal = kib; break;
        case 'SwapFree': swapFree = kib; break;
      }
    }
    at = end + 1;
  }
  if (available < 0) available = Math.min(total, free + buffers + cached);
  return { total, available, cached: cached + reclaimable, swapTotal, swapFree };
}

/** /proc/loadavg: the 1, 5 and 15 minute averages. */
export function parseLoadavg(text: string): number[] {
  const parts = text.trim().split(' ');
  return [Number(parts[0]) || 0, Number(parts[1]) || 0, Number(parts[2]) || 0];
}

/** /proc/uptime: seconds since boot. */
export function parseUptime(text: string): number {
  const space = text.indexOf(' ');
  return Number(space === -1 ? text.trim() : text.slice(0, space)) || 0;
}

/** /proc/diskstats: every device listed, partitions and loop devices included (filtered by the caller). */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  const fields: number[] = [];
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(text, at);
    // "major minor name reads merged sectors ms writes merged sectors ms …"
    let i = tokenEnd(text, skipBlanks(text, at, end), end);
    i = tokenEnd(text, skipBlanks(text, i, end), end);
    const nameStart = skipBlanks(text, i, end);
    const nameEnd = tokenEnd(text, nameStart, end);
    if (nameEnd > nameStart && scanUints(text, nameEnd, end, fields) >= 7) {
      out.push({ name: text.slice(nameStart, nameEnd), sectorsRead: fields[2]!, sectorsWritten: fields[6]! });
    }
    at = end + 1;
  }
  return out;
}

/** /proc/net/dev: bytes received and sent per interface (the two header lines are skipped). */
export function parseNetDev(text: string): NetCounters[] {
  const out: NetCounters[] = [];
  const fields: number[] = [];
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(text, at);
    // Interface names cannot contain ':' (dev_valid_name), and the header lines have none.
    const colon = text.indexOf(':', at);
    if (colon !== -1 && colon < end && scanUints(text, colon + 1, end, fields) >= 9) {
      const nameStart = skipBlanks(text, at, colon);
      out.push({ name: text.slice(nameStart, colon), rxBytes: fields[0]!, txBytes: fields[8]! });
    }
    at = end + 1;
  }
  return out;
}

const isOctal = (c: number) => c >= ZERO && c <= ZERO + 7;

/** Undoes the octal escapes of /proc/self/mounts (\040 space, \011 tab, \012 newline, \134 backslash). */
export function unescapeMountField(field: string): string {
  if (!field.includes('\\')) return field;
  let out = '';
  for (let i = 0; i < field.length; i++) {
    if (
      field.charCodeAt(i) === BACKSLASH &&
      isOctal(field.charCodeAt(i + 1)) &&
      isOctal(field.charCodeAt(i + 2)) &&
      isOctal(field.charCodeAt(i + 3))
    ) {
      out += String.fromCharCode(parseInt(field.slice(i + 1, i + 4), 8));
      i += 3;
    } else out += field[i];
  }
  return out;
}

/** /proc/self/mounts (fstab format): device, mount point and type of every mount, in mount order. */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(text, at);
    const deviceEnd = tokenEnd(text, at, end);
    const mountStart = skipBlanks(text, deviceEnd, end);
    const mountEnd = tokenEnd(text, mountStart, end);
    const typeStart = skipBlanks(text, mountEnd, end);
    const typeEnd = tokenEnd(text, typeStart, end);
    if (typeEnd > typeStart) {
      out.push({
        device: unescapeMountField(text.slice(at, deviceEnd)),
        mount: unescapeMountField(text.slice(mountStart, mountEnd)),
        type: text.slice(typeStart, typeEnd),
      });
    }
    at = end + 1;
  }
  return out;
}

/**
 * /proc/[pid]/stat. The name is between the first '(' and the last ')' (it may itself hold spaces and
 * parentheses); the fields after it are counted from `state` (field 3 of proc(5)).
 */
export function parsePidStat(text: string, fields: number[] = []): PidStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  // state is a letter; scanning from after it, field k of proc(5) is fields[k - 4].
  const n = scanUints(text, close + 4, text.length, fields);
  if (n < 21) return null;
  let pid = 0;
  for (let i = 0; i < open - 1; i++) pid = pid * 10 + (text.charCodeAt(i) - ZERO);
  return {
    pid,
    name: text.slice(open + 1, close),
    cpuTicks: fields[14 - 4]! + fields[15 - 4]!,
    startTicks: fields[22 - 4]!,
    rssPages: fields[24 - 4]!,
  };
}
