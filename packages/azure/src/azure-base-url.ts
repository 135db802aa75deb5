import { KitError, type CredentialLease } from '@kit/core';
import { readEnvironmentVariable } from '@kit/core/provider-utils';
import { AZURE_OPENAI_ENDPOINT_ENV_VAR, azureResourceNamePattern } from './azure-settings';

/** `https://{resourceName}.openai.azure.com/openai`: the base URL of a resource, before `/v1/…` or `/deployments/…`. */
export function azureResourceBaseURL(resourceName: string): string {
  return `https://${resourceName}.openai.azure.com/openai`;
}

/**
 * The base URL of a resource endpoint as the Azure portal shows it (`https://my-resource.openai.azure.com/`), the
 * value of `AZURE_OPENAI_ENDPOINT`: trailing slashes dropped and `/openai` appended unless it is already there.
 */
export function azureEndpointBaseURL(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  return trimmed.endsWith('/openai') ? trimmed : `${trimmed}/openai`;
}

/**
 * The base URL a credential carries (an `OAuthManager` credential's `resourceUrl`): a resource name, or a URL up to
 * `/openai` used as it is.
 */
export function azureCredentialBaseURL(resource: string): string {
  return azureResourceNamePattern.test(resource) ? azureResourceBaseURL(resource) : resource;
}

/**
 * The base URL of one request: the credential's own resource (a pool across regions), else the provider's
 * (`resourceName` / `baseURL`), else `AZURE_OPENAI_ENDPOINT` read at request time.
 * @throws KitError `invalid_config` naming `resourceName` when none of them is set.
 */
export function azureBaseURLFor(lease: CredentialLease, configuredBaseURL: string, provider = 'azure'): string {
  if (lease.baseURL) return azureCredentialBaseURL(lease.baseURL);
  if (configuredBaseURL) return configuredBaseURL;
  const endpoint = readEnvironmentVariable(AZURE_OPENAI_ENDPOINT_ENV_VAR);
  if (endpoint) return azureEndpointBaseURL(endpoint);
  throw new KitError(
    'invalid_config',
    `resourceName: ${provider} has no resource: pass resourceName or baseURL, set ${AZURE_OPENAI_ENDPOINT_ENV_VAR}, or give each credential its resource`,
    { provider },
  );
}
