import type { ErrorRefiner } from '@kit/core/provider-utils';
import { createOpenAIErrorRefiner } from '@kit/openai-compatible';

/**
 * Azure OpenAI's error refinement: the OpenAI dialect's, plus Azure's own identifiers (`error.code`, normalised: lower
 * case) that the shared classification reads by status alone. Content-filter refusals (`content_filter`,
 * `innererror.code: ResponsibleAIPolicyViolation`), `retry-after-ms` and "Please retry after N seconds" are read by
 * core for every provider.
 *
 * - `PermissionDenied` ("Principal does not have access to API/Operation", sent as 401 as well as 403): the identity
 *   lacks a role on the resource. A new token cannot fix that: `permission` (next credential, no token refresh).
 * - `DeploymentNotFound`: no deployment of that name on the resource: `not_found`.
 */
export const refineAzureError: ErrorRefiner = /* @__PURE__ */ createOpenAIErrorRefiner({
  permissiondenied: 'permission',
  deploymentnotfound: 'not_found',
});
