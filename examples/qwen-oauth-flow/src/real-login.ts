// `--login`: a real Qwen account. Device-code login (you open the printed URL), then one streamed call through an
// OAuthManager that refreshes the token when it nears expiry.
import { OAuthManager } from '@kit/oauthmanager';
import { createQwen, qwenOAuthRefresh } from '@kit/qwen';
import { loginWithQwenDevice } from '@kit/qwen/node';

export async function runRealLogin({ write = (text: string) => void process.stdout.write(text) } = {}): Promise<void> {
  const credential = await loginWithQwenDevice({
    id: 'my-qwen-account',
    onVerification: ({ verificationUri, verificationUriComplete, userCode }) =>
      write(`Open ${verificationUriComplete ?? verificationUri} in a browser and confirm the code ${userCode}. Waiting…\n`),
  });
  const expires = credential.expiresAt ? new Date(credential.expiresAt).toISOString() : 'unknown';
  write(
    `Logged in: credential "${credential.id}", token valid until ${expires}${credential.resourceUrl ? `, resource URL ${credential.resourceUrl}` : ''}.\n\n`,
  );

  const accounts = new OAuthManager('qwen', [credential], qwenOAuthRefresh);
  const qwen = createQwen({ credentials: accounts });
  const stream = await qwen.generateChatCompletion({ prompt: 'In two sentences: what is the OAuth device authorization grant?' });
  for await (const event of stream) if (event.type === 'text-delta') write(event.text);
  write('\n\nThe credential holds a refresh token: keep it in a CredentialStore (FileCredentialStore from @kit/oauthmanager/node)\n');
  write('so the next run skips the login. Nothing was saved by this example.\n');
}
