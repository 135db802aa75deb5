/**
 * `createAzure`: Azure OpenAI with API keys or Entra ID service principals (`azureEntraCredential`, `azureEntraRefresh`).
 *
 * @module @kit/azure
 */
export { createAzure, defineAzureProvider, azureChatPath, azureMaxTokensField, type AzureDefinitionOptions } from './azure-provider';
export { azureSettingsSchema, AZURE_OPENAI_API_KEY_ENV_VAR, AZURE_OPENAI_ENDPOINT_ENV_VAR, type AzureSettings } from './azure-settings';
export { azureBaseURLFor, azureCredentialBaseURL, azureEndpointBaseURL, azureResourceBaseURL } from './azure-base-url';
export { azureAuthHeaders } from './azure-auth-headers';
export { refineAzureError } from './azure-errors';
export {
  azureEntraCredential,
  azureEntraCredentialOptionsSchema,
  azureEntraTokenURL,
  AZURE_COGNITIVE_SERVICES_SCOPE,
  AZURE_ENTRA_PENDING_TOKEN,
  ENTRA_AUTHORITY_HOST,
  type AzureEntraCredentialOptions,
} from './azure-entra-credential';
export { azureEntraRefresh, type AzureEntraRefreshOptions } from './azure-entra-refresh';
