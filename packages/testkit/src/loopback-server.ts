import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server listening on 127.0.0.1 whose every connection is tracked, so `close()` leaves nothing open. */
export interface LoopbackListener {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Client connections currently open (kept-alive ones included). */
  openConnections(): number;
  /** Whether `close()` was called. */
  readonly closing: boolean;
  /** Stops listening and destroys every open socket; resolves once each has really closed. Idempotent. */
  close(): Promise<void>;
}

/** Starts `server` on a random loopback port and tracks its sockets (shared by every mock server of testkit). */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  let closed: Promise<void> | undefined;
  server.on('connection', (socket: Socket) => {
    if (closed) return void socket.destroy();
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => {});
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    openConnections: () => sockets.size,
    get closing() {
      return closed !== undefined;
    },
    close() {
      if (closed) return closed;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      const socketsClosed = [...sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.destroy();
          }),
      );
      closed = Promise.all([serverClosed, ...socketsClosed]).then(() => undefined);
      return closed;
    },
  };
}
