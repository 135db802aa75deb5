// The loopback servers of one runtime's run (Node side): a fake upstream per scenario, a fake OAuth token server with
// a resource server in front of its upstream, and a control endpoint the scenarios call while they run. After the run,
// `findings()` lists what the servers saw that a scenario's own checks cannot see.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockOAuthServer, createMockUpstream, faults, type MockUpstream, replies, type ScriptFunction } from '@kit/testkit';
import type { AbortObservation } from '../scenarios/abort-mid-stream';
import type { MatrixConfig, ScenarioName } from '../scenarios/matrix-config';
import { ANSWERS, METERED_USAGE, OAUTH_ACCOUNT, POOL_KEYS, STREAMED_ANSWER, WEATHER_CALL } from '../scenarios/scripted-answers';

/** The servers of one run. */
export interface MatrixServers {
  config: MatrixConfig;
  /** Problems the servers saw, by scenario (empty lists when all is well). */
  findings(): Record<ScenarioName, string[]>;
  close(): Promise<void>;
}

interface WireMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: { id?: string }[];
}

/**
 * The tool upstream: first a streamed call of `get_weather` (arguments in pieces), then, once the request replays that
 * call and carries its result, an answer made from the result. Anything else is a 400.
 */
const weatherToolScript: ScriptFunction = (request, n) => {
  if (n === 0) return replies.toolCalls([WEATHER_CALL]);
  const messages = ((request.body as { messages?: WireMessage[] } | undefined)?.messages ?? []) as WireMessage[];
  const replayed = messages.some((message) => message.role === 'assistant' && message.tool_calls?.[0]?.id === WEATHER_CALL.id);
  const result = messages.find((message) => message.role === 'tool' && message.tool_call_id === WEATHER_CALL.id);
  if (!replayed || typeof result?.content !== 'string') return faults.badRequest('the tool call and its result were not sent back');
  const { city, temperatureC } = JSON.parse(result.content) as { city: string; temperatureC: number };
  return replies.text(`It is ${temperatureC} °C in ${city}.`, { chunks: 3 });
};

const poolCredentials = (answer: string, usage?: typeof METERED_USAGE) => [
  { id: 'revoked', secret: POOL_KEYS[0], script: faults.unauthorized() },
  { id: 'live', secret: POOL_KEYS[1], script: replies.text(answer, usage ? { usage } : {}) },
];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const hopByHopHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

/**
 * A resource server: forwards each request to `upstream` through `forward` (the token server's `protect()`, which
 * answers 401 unless the bearer token is live) and streams the answer back.
 */
async function startResourceServer(upstream: MockUpstream, forward: typeof fetch): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const cancel = new AbortController();
    response.on('close', () => cancel.abort());
    (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !hopByHopHeaders.has(name)) headers.set(name, value);
      }
      const body = await readBody(request);
      const answer = await forward(`${upstream.origin}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
        signal: cancel.signal,
      });
      const answerHeaders: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!hopByHopHeaders.has(name) && name !== 'content-encoding') answerHeaders[name] = value;
      });
      response.writeHead(answer.status, answerHeaders);
      const reader = answer.body?.getReader();
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) response.write(chunk.value);
      response.end();
    })().catch(() => response.destroy());
  });
  return { url: await listen(server), server };
}

/** Resolves after `ms` (unref'd, so a waiting harness never holds the process). */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * What the abort upstream saw once its one request is over (or after `limitMs`, so a failing runtime is reported, not
 * waited for). The upstream stalls without ending the answer, so the exchange can only end by its connection closing:
 * `aborted` means the client closed it. Other sockets are not counted: after an abort, Node 20's fetch (undici) opens
 * a fresh idle connection to the same origin that lingers ~3 s (plain `fetch` does it too, without @kit).
 */
async function observeAbort(upstream: MockUpstream, limitMs = 5_000): Promise<AbortObservation> {
  const settled = upstream.waitForRequests(1).then(() => upstream.waitForIdle());
  const inTime = await Promise.race([settled.then(() => true), pause(limitMs).then(() => false)]);
  return { requests: upstream.requests.length, aborted: inTime && upstream.requests[0]?.aborted === true };
}

/** Starts every server one runtime's run needs. */
export async function startMatrixServers(): Promise<MatrixServers> {
  const streamedReply = replies.text(STREAMED_ANSWER.text, { usage: { inputTokens: STREAMED_ANSWER.inputTokens, outputTokens: STREAMED_ANSWER.outputTokens } });
  const [streaming, anthropic, tools, pool, abort, oauthUpstream, metrics] = await Promise.all([
    createMockUpstream({ dialect: 'openai', defaultScript: streamedReply }),
    createMockUpstream({ dialect: 'anthropic', defaultScript: streamedReply }),
    createMockUpstream({ dialect: 'openai', defaultScript: weatherToolScript }),
    createMockUpstream({ dialect: 'openai', credentials: poolCredentials(ANSWERS.pool) }),
    createMockUpstream({ dialect: 'openai', defaultScript: faults.stallMidStream(2) }),
    createMockUpstream({ dialect: 'openai', defaultScript: replies.text(ANSWERS.oauth) }),
    createMockUpstream({ dialect: 'openai', credentials: poolCredentials(ANSWERS.metrics, METERED_USAGE) }),
  ]);
  const tokens = await createMockOAuthServer({
    clients: [{ clientId: OAUTH_ACCOUNT.clientId }],
    accounts: [{ id: OAUTH_ACCOUNT.id, refreshToken: OAUTH_ACCOUNT.refreshToken, clientId: OAUTH_ACCOUNT.clientId }],
  });
  const resource = await startResourceServer(oauthUpstream, tokens.protect());

  const control = createServer((request, response) => {
    const route = `${request.method} ${request.url}`;
    if (route === 'POST /abort-mid-stream/observe') {
      void observeAbort(abort).then((observation) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(observation));
      });
    } else if (route === 'POST /oauth-refresh/revoke-access-tokens') {
      tokens.revokeAccessTokens();
      response.writeHead(204).end();
    } else {
      response.writeHead(404).end();
    }
  });
  const controlUrl = await listen(control);

  const upstreams = [streaming, anthropic, tools, pool, abort, oauthUpstream, metrics];
  const credentialsOf = (upstream: MockUpstream) => upstream.requests.map((request) => request.credentialId ?? '-');
  const expect = (problems: string[], condition: boolean, problem: string) => {
    if (!condition) problems.push(problem);
    return problems;
  };

  return {
    config: {
      upstreams: {
        'streaming-chat': streaming.url,
        'streaming-chat-anthropic': anthropic.url,
        'tool-round-trip': tools.url,
        'pool-failover': pool.url,
        'abort-mid-stream': abort.url,
        'oauth-refresh': `${resource.url}/v1`,
        metrics: metrics.url,
      },
      tokenUrl: tokens.tokenUrl,
      control: controlUrl,
    },
    findings() {
      const streamRequest = streaming.requests[0]?.body as { stream?: boolean; stream_options?: { include_usage?: boolean } } | undefined;
      const anthropicRequest = anthropic.requests[0];
      return {
        'streaming-chat': expect(
          [],
          streaming.requests.length === 1 && streamRequest?.stream === true && streamRequest.stream_options?.include_usage === true,
          'the upstream did not get one streaming request asking for usage',
        ),
        'streaming-chat-anthropic': expect(
          [],
          anthropic.requests.length === 1 && anthropicRequest?.headers['anthropic-version'] === '2023-06-01',
          'the upstream did not get one request with anthropic-version 2023-06-01',
        ),
        'tool-round-trip': expect([], tools.requests.length === 2, `the tool upstream got ${tools.requests.length} requests, not 2`),
        'pool-failover': expect([], credentialsOf(pool).join() === 'revoked,live,live', `keys seen by the upstream: ${credentialsOf(pool).join()}`),
        'abort-mid-stream': expect([], abort.requests.length === 1 && abort.requests[0]?.aborted === true, 'the upstream did not see the client abort'),
        'oauth-refresh': expect(
          [],
          tokens.refreshCount(OAUTH_ACCOUNT.id) === 2 && tokens.rejectedCount() === 1 && oauthUpstream.requests.length === 2,
          `refreshes ${tokens.refreshCount(OAUTH_ACCOUNT.id)}, rejected tokens ${tokens.rejectedCount()}, upstream requests ${oauthUpstream.requests.length} (want 2, 1, 2)`,
        ),
        metrics: expect([], credentialsOf(metrics).join() === 'revoked,live', `keys seen by the upstream: ${credentialsOf(metrics).join()}`),
      };
    },
    async close() {
      await Promise.all([...upstreams.map((upstream) => upstream.close()), tokens.close(), closeServer(resource.server), closeServer(control)]);
    },
  };
}
