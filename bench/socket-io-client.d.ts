// The part of socket.io-client 2 (frontail's client, used only by the bench) that the bench calls: it
// ships no types, and this is smaller than @types for the whole of it.
declare module 'socket.io-client' {
  interface Socket {
    on(event: string, listener: (...args: any[]) => void): this;
    close(): this;
  }
  function io(uri: string, options?: { transports?: string[]; reconnection?: boolean; forceNew?: boolean }): Socket;
  export default io;
}
