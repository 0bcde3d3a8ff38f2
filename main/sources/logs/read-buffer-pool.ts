// Read buffers shared by all followers: a follower needs one only while a read runs, so a thousand quiet
// files do not each pin a megabyte.
import { READ_BUFFERS_KEPT, READ_CHUNK_BYTES } from './limits';

export class ReadBufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly bufferBytes = READ_CHUNK_BYTES,
    private readonly kept = READ_BUFFERS_KEPT,
  ) {}

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.bufferBytes);
  }

  release(buffer: Buffer): void {
    if (this.free.length < this.kept) this.free.push(buffer);
  }
}
