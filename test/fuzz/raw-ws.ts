// WebSocket over a bare TCP socket (RFC 6455): a manual upgrade, then frames of any shape the fuzz makes
// (fragmented, unmasked, reserved bits, bad opcodes, lying lengths), and the server's frames read back.
import { connect, type Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export interface RawWs {
  socket: Socket;
  frames: ServerFrame[];
  closed: boolean;
  /** Resolves when a new frame arrives or the socket closes. */
  next(): Promise<void>;
  write(bytes: Uint8Array): void;
}

export interface FrameSpec {
  fin: boolean;
  /** RSV1..3 as bits 4..6 of the first byte. */
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Uint8Array;
  /** Announce this length instead of the payload's (only ever larger than the limit, never a short lie). */
  declaredLength?: number;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Upgrades on `/api/ws` with the token; rejects with the refusal's status line when there is no 101. */
export function rawUpgrade(port: number, token: string, timeoutMs: number): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no upgrade answer within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffer = Buffer.alloc(0);
    let upgraded: RawWs | null = null;
    let wake: (() => void) | null = null;
    const frames: ServerFrame[] = [];
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (upgraded) upgraded.closed = true;
      else reject(new Error('closed before the upgrade answer'));
      notify();
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        buffer = buffer.subarray(end + 4);
        clearTimeout(timer);
        const accept = createHash('sha1').update(key + GUID).digest('base64');
        if (!/^HTTP\/1\.1 101/.test(head) || !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) {
          socket.destroy();
          return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        }
        upgraded = { socket, frames, closed: false, next: () => new Promise<void>((r) => (upgraded!.closed ? r() : (wake = r))), write: (b) => socket.write(b) };
        resolve(upgraded);
      }
      for (;;) {
        const parsed = parseFrame(buffer);
        if (!parsed) break;
        frames.push(parsed.frame);
        buffer = buffer.subarray(parsed.size);
      }
      notify();
    });
    socket.write(
      `GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
  });
}

/** One server frame from the front of `buf`, or null when it is not all there yet. Servers never mask. */
function parseFrame(buf: Buffer): { frame: ServerFrame; size: number } | null {
  if (buf.length < 2) return null;
  let length = buf[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if (buf.length < offset + length) return null;
  return { frame: { fin: (buf[0]! & 0x80) !== 0, opcode: buf[0]! & 0x0f, payload: Buffer.from(buf.subarray(offset, offset + length)) }, size: offset + length };
}

/** The bytes of one client frame. */
export function frameBytes(spec: FrameSpec): Buffer {
  const length = spec.declaredLength ?? spec.payload.length;
  const head: number[] = [(spec.fin ? 0x80 : 0) | ((spec.rsv & 7) << 4) | (spec.opcode & 0x0f)];
  const maskBit = spec.masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  const payload = Buffer.from(spec.payload);
  let mask = Buffer.alloc(0);
  if (spec.masked) {
    mask = randomBytes(4);
    for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i & 3]!;
  }
  return Buffer.concat([Buffer.from(head), ext, mask, payload]);
}

/** A close frame's code, or null. */
export function closeCode(frame: ServerFrame): number | null {
  return frame.opcode === 8 && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
}
