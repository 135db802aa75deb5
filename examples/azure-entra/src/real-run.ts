// The real run: Azure OpenAI with one or more Entra ID service principals (or an API key), from environment variables.
import { azureEntraCredential, azureEntraRefresh, createAzure } from '@kit/azure';
import { OAuthManager } from '@kit/oauthmanager';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see examples/azure-entra/README.md)`);
  return value;
}

/**
 * `AZURE_OPENAI_RESOURCES` (comma-separated resource names, one credential each), `AZURE_OPENAI_DEPLOYMENT`, and
 * either `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` (Entra ID) or `AZURE_OPENAI_API_KEY` (first
 * resource only). Streams one answer; no secret or token is printed.
 */
export async function runReal(): Promise<void> {
  const resources = required('AZURE_OPENAI_RESOURCES')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const deployment = required('AZURE_OPENAI_DEPLOYMENT');
  const useEntra = Boolean(process.env.AZURE_CLIENT_SECRET);
  const azure = useEntra
    ? createAzure({
        defaultModel: deployment,
        credentials: new OAuthManager(
          'azure',
          resources.map((resourceName) =>
            azureEntraCredential({
              tenantId: required('AZURE_TENANT_ID'),
              clientId: required('AZURE_CLIENT_ID'),
              clientSecret: required('AZURE_CLIENT_SECRET'),
              resourceName,
            }),
          ),
          azureEntraRefresh,
        ),
      })
    : createAzure({ resourceName: resources[0], defaultModel: deployment }); // AZURE_OPENAI_API_KEY
  const stream = await azure.generateChatCompletion({ prompt: 'In one sentence: what is a service principal?' });
  for await (const event of stream) {
    if (event.type === 'start') process.stdout.write(`[${stream.credentialId ?? 'key'}] `);
    if (event.type === 'text-delta') process.stdout.write(event.text);
  }
  process.stdout.write('\n');
}
