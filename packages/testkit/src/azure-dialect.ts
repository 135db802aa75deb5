import type { IncomingHttpHeaders } from 'node:http';
import { openAIDialect, sseFrame } from './openai-dialect';
import { renderOpenAIError } from './openai-errors';
import type { ContentEvent, ErrorRenderingInput, ExchangeContext, RenderedError, RenderedReply, UpstreamDialect } from './upstream-dialect';
import type { StatusBehaviour } from './upstream-script';

// Azure OpenAI: the OpenAI wire format under Azure's URLs and headers, with its content-filter annotations and its own
// error bodies. The base path is `/openai`, so a mock's `url` is what `createAzure({ baseURL })` takes.

const v1Chat = '/openai/v1/chat/completions';
const v1Models = '/openai/v1/models';
const deploymentChat = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const versionedModels = '/openai/models';

type Annotations = Record<string, { filtered: boolean; severity?: string; detected?: boolean }>;

/** Azure's content-filter annotations of text that passed every filter. */
function safeAnnotations(): Annotations {
  return {
    hate: { filtered: false, severity: 'safe' },
    self_harm: { filtered: false, severity: 'safe' },
    sexual: { filtered: false, severity: 'safe' },
    violence: { filtered: false, severity: 'safe' },
  };
}

/** The annotations of output stopped by the filter (`finish_reason: "content_filter"`). */
function filteredAnnotations(): Annotations {
  return { ...safeAnnotations(), violence: { filtered: true, severity: 'medium' } };
}

/**
 * Azure's first chunk of every stream: the prompt's filter results, with `id: ""`, `model: ""` and no choices, as
 * recorded in github.com/AbanteAI/archive-old-cli-mentat issue #429 and github.com/microsoft/autogen issue #6465.
 */
function promptFilterFrame(): string {
  return sseFrame({
    choices: [],
    created: 0,
    id: '',
    model: '',
    object: '',
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: { ...safeAnnotations(), jailbreak: { filtered: false, detected: false } } }],
  });
}

/**
 * Adds `content_filter_results` to the choice of an OpenAI chunk frame, as Azure annotates every content chunk
 * (github.com/rksm/org-ai issue #90, github.com/langchain4j/langchain4j issue #2385). Other frames are kept.
 */
function annotateFrame(frame: string): string {
  if (!frame.startsWith('data: {')) return frame;
  const chunk = JSON.parse(frame.slice('data: '.length)) as { choices?: Record<string, unknown>[] };
  const choice = chunk.choices?.[0];
  if (!choice) return frame;
  choice.content_filter_results = choice.finish_reason === 'content_filter' ? filteredAnnotations() : safeAnnotations();
  return sseFrame(chunk);
}

const annotateEvent = (event: ContentEvent): ContentEvent => (typeof event === 'string' ? annotateFrame(event) : event.map(annotateFrame));

function annotateCompletion(json: unknown): unknown {
  const completion = json as { choices?: Record<string, unknown>[] } & Record<string, unknown>;
  for (const choice of completion.choices ?? []) {
    choice.content_filter_results = choice.finish_reason === 'content_filter' ? filteredAnnotations() : safeAnnotations();
  }
  return { ...completion, prompt_filter_results: [{ prompt_index: 0, content_filter_results: safeAnnotations() }] };
}

function azureError(status: number, code: string, message: string, headers?: Record<string, string>): RenderedError {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** Azure's 429 of a deployment over its tokens-per-minute quota (api-version and tier as in the reports cited below). */
function tokenRateLimitMessage(retryAfterSeconds: number | undefined): string {
  const wait = retryAfterSeconds === undefined ? '' : ` Please retry after ${retryAfterSeconds} seconds.`;
  return (
    'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your ' +
    `current OpenAI S0 pricing tier.${wait} Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`
  );
}

/** `retry-after` (whole seconds) and `retry-after-ms`, as Azure sends both on a 429. */
function retryHeaders(retryAfterSeconds: number): Record<string, string> {
  return { 'retry-after': String(retryAfterSeconds), 'retry-after-ms': String(retryAfterSeconds * 1000) };
}

/**
 * Azure's error answer for a fault. Sources of the bodies: 401 key — github.com/SciSharp/BotSharp issue #386 and
 * github.com/microsoft/semantic-kernel issue #10337; missing key — Azure API Management's answer; `PermissionDenied` —
 * github.com/Azure-Samples/azure-ai-studio-secure-bicep pull #17; 429 — github.com/vanderschaarlab/climb issue #1 and
 * the retry headers github.com/Azure/azure-openai-benchmark reads; `DeploymentNotFound` — github.com/chatboxai/chatbox
 * issue #861. Faults Azure answers as OpenAI does (server errors, context length, bad requests) keep OpenAI's bodies.
 */
function renderAzureError(input: ErrorRenderingInput, context: ExchangeContext): RenderedError {
  const fault = input.fault ?? (input.status === 401 ? 'unauthorized' : input.status === 403 ? 'forbidden' : input.status === 404 ? 'not-found' : undefined);
  const seconds = input.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(input.retryAfterMs / 1000));
  switch (fault) {
    case 'unauthorized': {
      const { headers } = context.request;
      const message =
        headers['api-key'] === undefined && headers.authorization === undefined
          ? 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.'
          : 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
      return azureError(input.status, '401', input.message ?? message);
    }
    case 'forbidden':
      return azureError(input.status, 'PermissionDenied', input.message ?? 'Principal does not have access to API/Operation.');
    case 'rate-limited':
      return azureError(input.status, '429', input.message ?? tokenRateLimitMessage(seconds), seconds === undefined ? undefined : retryHeaders(seconds));
    case 'insufficient-quota':
      // Azure has no "insufficient_quota": a resource out of its daily token quota is told to come back tomorrow.
      return azureError(input.status, '429', input.message ?? tokenRateLimitMessage(86_400), retryHeaders(86_400));
    case 'not-found':
      return azureError(
        input.status,
        'DeploymentNotFound',
        input.message ??
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      );
    case 'unknown-route':
      return azureError(input.status, '404', input.message ?? 'Resource not found');
    default:
      return renderOpenAIError(input, context);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Azure OpenAI dialect: OpenAI's chat completions under `POST /openai/v1/chat/completions` (the deployment named
 * by `model`) and `POST /openai/deployments/{deployment}/chat/completions?api-version=…`; `GET /openai/v1/models` and
 * `GET /openai/models?api-version=…`. Keys in `api-key`, Entra ID tokens as `Authorization: Bearer` — never both;
 * streams open with the prompt-filter chunk (`id: ""`) and every chunk carries `content_filter_results`.
 */
export const azureDialect: UpstreamDialect = {
  name: 'azure',
  basePath: '/openai',
  streamContentType: openAIDialect.streamContentType,
  defaultStreamError: openAIDialect.defaultStreamError,

  route(method, pathname) {
    if (method === 'POST' && (pathname === v1Chat || deploymentChat.test(pathname))) return 'generate';
    if (method === 'GET' && (pathname === v1Models || pathname === versionedModels)) return 'models';
    return undefined;
  },

  readSecret(headers: IncomingHttpHeaders) {
    const key = headers['api-key'];
    if (typeof key === 'string' && key !== '') return key;
    return /^\s*bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  },

  refuse(request, context) {
    if (request.headers['api-key'] !== undefined && request.headers.authorization !== undefined) {
      // Mock-only check (Azure's own answer is not documented): a client must send one credential header, not both.
      return azureError(400, 'BadRequest', 'mock Azure upstream: the request carries both api-key and Authorization: send one credential');
    }
    const versioned = deploymentChat.test(request.url.pathname) || request.url.pathname === versionedModels;
    if (versioned && !request.url.searchParams.get('api-version')) return renderAzureError({ status: 404, fault: 'unknown-route' }, context);
    return undefined;
  },

  describeRequest(body, url) {
    const description = openAIDialect.describeRequest(body, url);
    const deployment = deploymentChat.exec(url.pathname)?.[1];
    if (deployment !== undefined) description.model = decodeURIComponent(deployment);
    else if (!isRecord(body) || typeof body.model !== 'string' || body.model === '') delete description.model;
    return description;
  },

  renderReply(reply, context): RenderedReply {
    const rendered = openAIDialect.renderReply(reply, context);
    return {
      preamble: [promptFilterFrame(), ...rendered.preamble.map(annotateFrame)],
      content: rendered.content.map(annotateEvent),
      epilogue: rendered.epilogue.map(annotateFrame),
      json: annotateCompletion(rendered.json),
    };
  },

  renderError: renderAzureError,
  renderErrorBody: (error, context) => openAIDialect.renderErrorBody(error, context),
  renderStreamError: (error, context) => openAIDialect.renderStreamError(error, context),
  renderMalformedFrame: (context) => openAIDialect.renderMalformedFrame(context),
  renderModels: (models, context) => openAIDialect.renderModels(models, context),
};

/** The content-filter category a scripted refusal names. */
export type AzureFilterCategory = 'hate' | 'self_harm' | 'sexual' | 'violence' | 'jailbreak';

/**
 * Exact Azure OpenAI error answers for `status` behaviours (`{ kind: 'status', status, body, headers }`), with the
 * bodies Azure sends. Use them in scripts of an upstream with `dialect: 'azure'`.
 */
export const azureFaults = {
  /**
   * 400: the prompt tripped the content filter — `code: "content_filter"`, `innererror.code:
   * "ResponsibleAIPolicyViolation"` and the per-category results (github.com/compl-ai/compl-ai issue #20).
   */
  contentFilter(category: AzureFilterCategory = 'violence'): StatusBehaviour {
    const results: Annotations = { ...safeAnnotations(), jailbreak: { filtered: false, detected: false } };
    results[category] = category === 'jailbreak' ? { filtered: true, detected: true } : { filtered: true, severity: 'medium' };
    return {
      kind: 'status',
      status: 400,
      body: {
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. " +
            'To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766',
          type: null,
          param: 'prompt',
          code: 'content_filter',
          status: 400,
          innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: results },
        },
      },
    };
  },
  /** 429 over the tokens-per-minute quota, with `retry-after` and `retry-after-ms` (whole seconds, as Azure sends). */
  tokenRateLimit(retryAfterSeconds = 6): StatusBehaviour {
    return {
      kind: 'status',
      status: 429,
      body: { error: { code: '429', message: tokenRateLimitMessage(retryAfterSeconds) } },
      headers: retryHeaders(retryAfterSeconds),
    };
  },
  /** The identity has no role on the resource: `PermissionDenied` (Azure sends it as 401 or 403; default 401). */
  permissionDenied(status: 401 | 403 = 401): StatusBehaviour {
    return { kind: 'status', status, body: { error: { code: 'PermissionDenied', message: 'Principal does not have access to API/Operation.' } } };
  },
  /** 404: no deployment of that name on the resource. */
  deploymentNotFound(): StatusBehaviour {
    return { kind: 'status', status: 404, fault: 'not-found' };
  },
};
