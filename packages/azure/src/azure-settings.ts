import { providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

/** The environment variable read for an API key when neither `apiKey` nor `credentials` is given (as the `openai` SDK's `AzureOpenAI`). */
export const AZURE_OPENAI_API_KEY_ENV_VAR = 'AZURE_OPENAI_API_KEY';
/** The environment variable read for the resource's endpoint (`https://{resource}.openai.azure.com`) when neither `resourceName` nor `baseURL` is given. */
export const AZURE_OPENAI_ENDPOINT_ENV_VAR = 'AZURE_OPENAI_ENDPOINT';

/** An Azure resource name: letters, digits and inner hyphens, at most 64 characters (the `{resource}` of `{resource}.openai.azure.com`). */
export const azureResourceNamePattern = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/i;

/**
 * Strict: an unknown key is an `invalid_config` error naming it. Built in a pure IIFE, so a bundle that never calls
 * `createAzure` drops it.
 */
export const azureSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** The Azure OpenAI resource: requests go to `https://{resourceName}.openai.azure.com/openai/…`. Not with `baseURL`. */
    resourceName: z.optional(
      z.string().check(z.regex(azureResourceNamePattern, { error: 'must be an Azure resource name (letters, digits, hyphens), not a URL' })),
    ),
    /**
     * The resource's URL up to `/openai` (`https://my-resource.openai.azure.com/openai`, or a gateway's); \@kit appends
     * `/v1/…` or `/deployments/{deployment}/…`. Not with `resourceName`.
     */
    baseURL: providerSettingsShape.baseURL,
    /**
     * Without it, the v1 API (`…/openai/v1/chat/completions`, the deployment named by `model` in the body). With it, the
     * deployment-path form `…/openai/deployments/{model}/chat/completions?api-version={apiVersion}`.
     */
    apiVersion: z.optional(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "must be an api-version such as '2024-10-21'" }))),
    /** The deployment used when a call names no `model` (Azure routes by deployment name, not model name). */
    defaultModel: providerSettingsShape.defaultModel,
  }))();

/** Settings of `createAzure`: the common ones plus where the resource is and which API shape to use. */
export type AzureSettings = z.infer<typeof azureSettingsSchema>;
