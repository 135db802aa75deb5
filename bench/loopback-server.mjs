// A lean OpenAI-speaking loopback server for the benchmarks: every answer is pre-built in memory, so the server
// does as little as possible per request and never becomes the bottleneck.
//
// - `POST /v1/chat/completions` with `"stream":true` in the body → the pre-built SSE body (chat.completion.chunk
//   frames, a finish chunk, a usage-only chunk, `data: [DONE]`), written in a few large writes (`writeSize` bytes),
//   or with `framePerWrite` one write per frame.
// - `POST /v1/chat/completions` otherwise → a pre-built `chat.completion` JSON with content-length.
//
// Run in a child process (`forkLoopbackServer`) so client and server get a core each and server work is not counted
// in the client's timings; `startLoopbackServer` runs it in-process. Listens on 127.0.0.1 only.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

export const MODEL = 'gpt-4o-mini';
const CREATED = 1_700_000_000;

/** The assistant text of the non-streaming answer. */
export const COMPLETION_TEXT = 'Hello there! How can I help you today?';

/** The content pieces of the stream: distinct, varied-length words, so a reader that drops or repeats one is caught. */
export function streamPieces(chunks) {
  const pieces = new Array(chunks);
  for (let index = 0; index < chunks; index++) pieces[index] = `${index % 7 === 0 ? '\n' : ' '}tok${index.toString(36)}`;
  return pieces;
}

export function expectedStreamText(chunks) {
  return streamPieces(chunks).join('');
}

function chunkFrame(delta, finishReason) {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  })}\n\n`;
}

/** The SSE frames, as OpenAI sends them with `stream_options.include_usage`. */
export function buildStreamFrames(chunks) {
  const frames = [chunkFrame({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of streamPieces(chunks)) frames.push(chunkFrame({ content: piece }, null));
  frames.push(chunkFrame({}, 'stop'));
  frames.push(
    `data: ${JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: CREATED,
      model: MODEL,
      system_fingerprint: 'fp_bench',
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: chunks, total_tokens: chunks + 9 },
    })}\n\n`,
  );
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** The whole SSE body in one buffer. */
export function buildStreamBody(chunks) {
  return Buffer.from(buildStreamFrames(chunks).join(''));
}

export function buildCompletionBody() {
  return Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: CREATED,
      model: MODEL,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: COMPLETION_TEXT, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 10,
        total_tokens: 19,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_bench',
    }),
  );
}

/** One `write` per SSE frame (like a server forwarding tokens as they come), waiting for `drain` under backpressure. */
function writeFrames(response, frames) {
  let index = 0;
  const pump = () => {
    while (index < frames.length) {
      if (!response.write(frames[index++])) return void response.once('drain', pump);
    }
    response.end();
  };
  pump();
}

/** Starts the server in this process. Resolves with `{ url, port, requests(), close() }`; `url` ends in `/v1`. */
export async function startLoopbackServer({ chunks = 20_000, writeSize = 256 * 1024, framePerWrite = false } = {}) {
  const frames = framePerWrite ? buildStreamFrames(chunks).map((frame) => Buffer.from(frame)) : undefined;
  const streamBody = buildStreamBody(chunks);
  const completionBody = buildCompletionBody();
  let requests = 0;
  const server = createServer((request, response) => {
    const parts = [];
    request.on('data', (part) => parts.push(part));
    request.on('end', () => {
      requests++;
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      const body = Buffer.concat(parts).toString();
      if (body.includes('"stream":true')) {
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': 'req_bench' });
        if (frames) writeFrames(response, frames);
        else {
          for (let offset = 0; offset < streamBody.length; offset += writeSize) response.write(streamBody.subarray(offset, offset + writeSize));
          response.end();
        }
      } else {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': completionBody.length, 'x-request-id': 'req_bench' });
        response.end(completionBody);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}/v1`,
    streamBytes: streamBody.length,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts the server in a child process. Resolves with `{ url, port, streamBytes, close() }`. */
export async function forkLoopbackServer(options = {}) {
  const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`loopback server exited early (${code})`)));
  });
  return {
    ...ready,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

if (process.argv[2] === '--child') {
  const server = await startLoopbackServer(JSON.parse(process.argv[3] ?? '{}'));
  process.send({ url: server.url, port: server.port, streamBytes: server.streamBytes });
  process.on('disconnect', () => server.close().then(() => process.exit(0)));
}
