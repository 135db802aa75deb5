import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type LoopbackListener } from './loopback-server';

/** The whole body of a request as text (`''` when the client went away). */
export function readTextBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}

/**
 * Starts a loopback server whose requests `handle` answers. A handler that throws never takes the server down: the
 * client gets a 500 JSON answer built by `failureBody` from the error's message (or a destroyed socket when the answer
 * had already started).
 */
export function listenWithHandler(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  failureBody: (message: string) => unknown,
): Promise<LoopbackListener> {
  const server = createServer((request, response) => {
    response.on('error', () => {});
    request.on('error', () => {});
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent || response.destroyed) return void response.destroy();
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(failureBody(error instanceof Error ? error.message : String(error))));
    });
  });
  return listenOnLoopback(server);
}
