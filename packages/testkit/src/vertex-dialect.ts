import type { IncomingHttpHeaders } from 'node:http';
import { googleError } from './gemini-errors';
import { geminiDialect } from './gemini-dialect';
import type { DialectSession, RequestDescription, UpstreamDialect } from './upstream-dialect';

/** `POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:{method}`. */
const vertexModelPath =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/** Project, location, model and method of a Vertex AI model path. */
export function parseVertexPath(pathname: string): { project: string; location: string; model: string; method: string } | undefined {
  const match = vertexModelPath.exec(pathname);
  if (!match) return undefined;
  const [, project, location, model, method] = match.map((part) => decodeURIComponent(part ?? ''));
  return { project: project as string, location: location as string, model: model as string, method: method as string };
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  return /^\s*bearer\s+(\S+)\s*$/i.exec((Array.isArray(value) ? value[0] : value) ?? '')?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Vertex AI's answers: `countTokens` (the health check), and a 403 for a call into a project the configured credential
 * does not belong to (`MockCredential.project`), worded as Vertex words an IAM refusal.
 */
function createVertexSession({ credentials }: { credentials: readonly { project?: string }[] }): DialectSession {
  return {
    answerControl({ body }) {
      const contents = isRecord(body) && Array.isArray(body.contents) ? body.contents : [];
      const words = JSON.stringify(contents).split(/\s+/).length;
      return { status: 200, body: { totalTokens: words, totalBillableCharacters: words * 4 } };
    },
    refuseGenerate({ url, credential }) {
      const target = parseVertexPath(url.pathname);
      if (!target || !credential?.project || credential.project === target.project || credentials.length === 0) return undefined;
      const resource = `//aiplatform.googleapis.com/projects/${target.project}/locations/${target.location}/publishers/google/models/${target.model}`;
      return googleError(403, `Permission 'aiplatform.endpoints.predict' denied on resource '${resource}' (or it may not exist).`, [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'IAM_PERMISSION_DENIED',
          domain: 'aiplatform.googleapis.com',
          metadata: { permission: 'aiplatform.endpoints.predict', resource: resource.slice(2) },
        },
      ]);
    },
  };
}

/**
 * Gemini on Vertex AI: the Gemini wire (requests, answers, stream chunks, errors — the Gemini dialect's own rendering)
 * under Vertex's path `/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`
 * (`:streamGenerateContent?alt=sse`, `:countTokens`), OAuth Bearer tokens only (an API key header gets Vertex's 401),
 * and no `system` role inside `contents` (Vertex's 400 "Content with system role is not supported.", as reported in
 * 567-labs/instructor#1291). There is no model list on this path.
 */
export const vertexDialect: UpstreamDialect = {
  ...geminiDialect,
  name: 'vertex',
  basePath: '/v1',

  route(method, pathname) {
    const target = parseVertexPath(pathname);
    if (method !== 'POST' || !target) return undefined;
    return target.method === 'countTokens' ? 'control' : 'generate';
  },

  readSecret(headers) {
    return bearerToken(headers);
  },

  refuse(request, context) {
    const { url, headers } = request;
    if (bearerToken(headers) === undefined && (headers['x-goog-api-key'] !== undefined || url.searchParams.has('key'))) {
      return googleError(
        401,
        'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication',
      );
    }
    const contents = isRecord(request.body) && Array.isArray(request.body.contents) ? request.body.contents : [];
    if (request.route === 'generate' && contents.some((content) => isRecord(content) && content.role === 'system')) {
      return googleError(400, 'Content with system role is not supported.');
    }
    return request.route === 'generate' ? geminiDialect.refuse?.(request, context) : undefined;
  },

  createSession({ credentials }) {
    return createVertexSession({ credentials });
  },

  describeRequest(body, url): RequestDescription {
    const description = geminiDialect.describeRequest(body, url);
    const model = parseVertexPath(url.pathname)?.model;
    if (model) description.model = model;
    return description;
  },
};
