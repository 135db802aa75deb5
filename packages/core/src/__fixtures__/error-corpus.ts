import type { KitErrorCode } from '../error-codes';
import { policyOf } from '../error-codes';

/**
 * The error corpus: real refusals of the providers @kit talks to, transcribed from where they were seen, each with
 * the verdict classification must reach. `source` names the place (a public bug report, an API reference page, an
 * official SDK's code); bodies are copied as sent — long messages may be shortened, identifiers never are, and an
 * organisation id or a key fragment echoed by the provider is elided or replaced by a fake built at run time.
 *
 * Used by core's `classify-error.corpus.test.ts` (core's rules alone) and by `tests/classification` (each entry
 * through its provider package's real `refineError`), so the verdicts are stated once.
 */

/** Who answered (the provider family, not the @kit package). */
export type CorpusProvider =
  | 'openai'
  | 'azure'
  | 'groq'
  | 'deepseek'
  | 'xai'
  | 'together'
  | 'fireworks'
  | 'mistral'
  | 'openrouter'
  | 'anthropic'
  | 'gemini'
  | 'vertex'
  | 'qwen'
  | 'cerebras';

/**
 * What happens to the credential, derived from the policy table (`credentialTreatment`):
 * a credential fault switches credentials (a rate limit cools the key at least `retryAfterMs`, a quota or
 * authentication fault penalises it long); a transient fault is retried with backoff; the rest fail blamelessly.
 */
export type CredentialTreatment =
  | 'switch, penalise long'
  | 'switch, cool with backoff'
  | `switch, cool ≥ ${number} ms`
  | 'retry with backoff, brief cooldown'
  | 'fail fast, blameless';

export interface ExpectedVerdict {
  code: KitErrorCode;
  retryable: boolean;
  /** The wait the server asked for (header, `RetryInfo` or message hint), in ms; absent when it named none. */
  retryAfterMs?: number;
  credential: CredentialTreatment;
}

export interface ErrorCorpusEntry {
  /** `<provider>-<status>-<what>`. */
  id: string;
  provider: CorpusProvider;
  status: number;
  headers: Readonly<Record<string, string>>;
  body: unknown;
  /** Where this answer was seen. */
  source: string;
  expected: ExpectedVerdict;
  /**
   * Set when the verdict needs the provider package's own `refineError` (provider-specific knowledge):
   * core's shared rules alone reach `coreCode` instead.
   */
  refinedBy?: { refiner: 'anthropic' | 'gemini' | 'qwen'; coreCode: KitErrorCode };
  /** A fake key the body echoes, to check that it never reaches the error. */
  echoedSecret?: string;
}

/** The credential treatment an error gets, read from the policy table (`switchesCredential`, `transient`). */
export function credentialTreatment(error: { code: string; retryAfterMs?: number | undefined }): CredentialTreatment {
  const policy = policyOf(error.code);
  if (policy.switchesCredential) {
    if (!policy.retryable) return 'switch, penalise long';
    return error.retryAfterMs === undefined ? 'switch, cool with backoff' : `switch, cool ≥ ${error.retryAfterMs} ms`;
  }
  return policy.transient ? 'retry with backoff, brief cooldown' : 'fail fast, blameless';
}

// A key echoed back in a message is never a real one: built at run time, shaped like an OpenAI key.
const echoedOpenAIKey = ['sk', 'test', 'corpus', 'echo', '0000'].join('-');

const penalised = (code: KitErrorCode): ExpectedVerdict => ({ code, retryable: false, credential: 'switch, penalise long' });
const blameless = (code: KitErrorCode): ExpectedVerdict => ({ code, retryable: false, credential: 'fail fast, blameless' });
const transient = (code: KitErrorCode, retryAfterMs?: number): ExpectedVerdict =>
  retryAfterMs === undefined
    ? { code, retryable: true, credential: 'retry with backoff, brief cooldown' }
    : { code, retryable: true, retryAfterMs, credential: 'retry with backoff, brief cooldown' };
const rateLimited = (retryAfterMs?: number): ExpectedVerdict =>
  retryAfterMs === undefined
    ? { code: 'rate_limit', retryable: true, credential: 'switch, cool with backoff' }
    : { code: 'rate_limit', retryable: true, retryAfterMs, credential: `switch, cool ≥ ${retryAfterMs} ms` };
const quotaWithWait = (retryAfterMs: number): ExpectedVerdict => ({
  code: 'quota_exceeded',
  retryable: false,
  retryAfterMs,
  credential: 'switch, penalise long',
});

const googleHelp = {
  '@type': 'type.googleapis.com/google.rpc.Help',
  links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
};

export const errorCorpus: readonly ErrorCorpusEntry[] = [
  // ─── OpenAI ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'openai-401-invalid-api-key',
    provider: 'openai',
    status: 401,
    headers: {},
    body: {
      error: {
        message: `Incorrect API key provided: ${echoedOpenAIKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    },
    source: 'github.com/popjane/free_chatgpt_api issue #3 (openai.AuthenticationError body; the echoed key fragment is replaced by a fake)',
    expected: penalised('authentication'),
    echoedSecret: echoedOpenAIKey,
  },
  {
    // Defect: "billing" in the upgrade hint made this a quota error and benched the key for an hour.
    id: 'openai-429-free-tier-rpm-billing-hint',
    provider: 'openai',
    status: 429,
    headers: {},
    body: {
      error: {
        message:
          'Rate limit reached for default-gpt-3.5-turbo in organization org-xxx on requests per min. Limit: 3 / min. Please try again in 20s. ' +
          'Contact us through our help center at help.openai.com if you continue to have issues. Please add a payment method to your account ' +
          'to increase your rate limit. Visit https://platform.openai.com/account/billing to add a payment method.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    },
    source: 'github.com/arc53/DocsGPT issue #287 (error_code=rate_limit_exceeded, error_type=requests as logged by openai-python)',
    expected: rateLimited(20_000),
  },
  {
    id: 'openai-429-insufficient-quota',
    provider: 'openai',
    status: 429,
    headers: {},
    body: {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    },
    source: 'github.com/Pythagora-io/gpt-pilot issue #340 (response text of a 429)',
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'openai-429-tpm-request-too-large',
    provider: 'openai',
    status: 429,
    headers: {},
    body: {
      error: {
        message:
          'Request too large for gpt-4o in organization org-xxx on tokens per min (TPM): Limit 30000, Requested 30601. The input or output tokens ' +
          'must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.',
        type: 'tokens',
        param: null,
        code: 'rate_limit_exceeded',
      },
    },
    source: 'github.com/vanderschaarlab/climb issue #1 (openai.RateLimitError body)',
    expected: rateLimited(),
  },
  {
    id: 'openai-400-context-length-exceeded',
    provider: 'openai',
    status: 400,
    headers: {},
    body: {
      error: {
        message:
          "This model's maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    },
    source: 'github.com/chathub-dev/chathub issue #126',
    expected: blameless('context_length'),
  },
  {
    id: 'openai-403-unsupported-country',
    provider: 'openai',
    status: 403,
    headers: {},
    body: {
      error: { code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported', param: null, type: 'request_forbidden' },
    },
    source: 'github.com/home-assistant/core issue #120072 (Error code: 403 body)',
    expected: penalised('permission'),
  },

  // ─── Azure OpenAI ──────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'azure-400-content-filter',
    provider: 'azure',
    status: 400,
    headers: {},
    body: {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. " +
          'To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766',
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: { filtered: false, severity: 'safe' },
            jailbreak: { filtered: false, detected: false },
            self_harm: { filtered: false, severity: 'safe' },
            sexual: { filtered: false, severity: 'safe' },
            violence: { filtered: true, severity: 'medium' },
          },
        },
      },
    },
    source: 'github.com/compl-ai/compl-ai issue #20 (Azure OpenAI 400 with innererror.content_filter_result)',
    expected: blameless('content_filter'),
  },
  {
    id: 'azure-429-token-rate-limit-retry-after-ms',
    provider: 'azure',
    status: 429,
    headers: { 'retry-after': '6', 'retry-after-ms': '6000', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-remaining-requests': '12' },
    body: {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current ' +
          'OpenAI S0 pricing tier. Please retry after 6 seconds.',
      },
    },
    source:
      'body and Retry-After from dotnetstudioai.com/hospital/fix-429-rate-limit-exceeded-azure-openai-dotnet; the retry-after-ms header Azure sends ' +
      'beside it is the one github.com/Azure/azure-openai-benchmark benchmark/oairequester.py reads first (value written equal to Retry-After)',
    expected: rateLimited(6000),
  },
  {
    id: 'azure-429-s0-tier-retry-after-a-day',
    provider: 'azure',
    status: 429,
    headers: {},
    body: {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-08-01-preview have exceeded token rate limit of your ' +
          'current OpenAI S0 pricing tier. Please retry after 86400 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to ' +
          'further increase the default rate limit.',
      },
    },
    source: 'github.com/vanderschaarlab/climb issue #1, comment by jonjinkim (no headers shown: the wait comes from the message)',
    expected: rateLimited(86_400_000),
  },

  // ─── Groq ──────────────────────────────────────────────────────────────────────────────────────────────────
  {
    // Defect: "settings/billing" in the upgrade hint made this a quota error; the server asks for 2 s.
    id: 'groq-429-free-tier-tpm-billing-link',
    provider: 'groq',
    status: 429,
    headers: {},
    body: {
      error: {
        message:
          'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_xxx` service tier `on_demand` on tokens per minute (TPM): ' +
          'Limit 12000, Used 2542, Requested 9855. Please try again in 1.984999999s. Need more tokens? Upgrade to Dev Tier today at ' +
          'https://console.groq.com/settings/billing',
        type: 'tokens',
        code: 'rate_limit_exceeded',
      },
    },
    source: 'github.com/ago19800/HomeMind issue #29 (Error code: 429 body; organization id elided)',
    expected: rateLimited(1985),
  },
  {
    id: 'groq-429-tokens-per-day',
    provider: 'groq',
    status: 429,
    headers: {},
    body: {
      error: {
        message:
          'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_xxx` service tier `on_demand` on tokens per day (TPD): ' +
          'Limit 100000, Used 97050, Requested 3619. Please try again in 9m38.016s. Need more tokens? Upgrade to Dev Tier today at ' +
          'https://console.groq.com/settings/billing',
        type: 'tokens',
        code: 'rate_limit_exceeded',
      },
    },
    source: 'github.com/continuedev/continue issue #10920 (message; type and code as Groq sends them for token limits, see HomeMind #29)',
    expected: rateLimited(578_016),
  },
  {
    id: 'groq-413-request-larger-than-tpm',
    provider: 'groq',
    status: 413,
    headers: {},
    body: {
      error: {
        message:
          'Request too large for model llama-3.1-8b-instant in organization org_xxx service tier on_demand on tokens per minute (TPM): Limit 6000, ' +
          'Requested 12328, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing',
        type: 'tokens',
        code: 'rate_limit_exceeded',
      },
    },
    source: 'github.com/HunorLaczko/ha-groq-cloud-api issue #27 (Error code: 413 body)',
    expected: blameless('invalid_request'),
  },

  // ─── DeepSeek ──────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'deepseek-402-insufficient-balance',
    provider: 'deepseek',
    status: 402,
    headers: {},
    body: { error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' } },
    source: 'github.com/Aider-AI/aider issue #4851 (DeepseekException body); status 402 as in continuedev/continue issue #9942',
    expected: penalised('quota_exceeded'),
  },

  // ─── xAI ───────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'xai-400-incorrect-api-key',
    provider: 'xai',
    status: 400,
    headers: {},
    body: { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: ba***na. You can obtain an API key from https://console.x.ai.' },
    source: 'github.com/i-am-bee/beeai-framework issue #447 (openai.BadRequestError body, URL-decoded)',
    expected: penalised('authentication'),
  },
  {
    id: 'xai-429-credits-or-spending-limit',
    provider: 'xai',
    status: 429,
    headers: {},
    body: {
      code: 'Some resource has been exhausted',
      error:
        'Your team 16f2151a-40f4-4a80-8ad0-cae00c27e8dd has either used all available credits or reached its monthly spending limit. ' +
        'To continue making API requests, please purchase more credits or raise your spending limit.',
    },
    source:
      "github.com/continuedev/continue issue #10373 (the error text of a 429); `code` is xAI's gRPC status description, as in the 400 of beeai-framework #447",
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'xai-403-spending-limit',
    provider: 'xai',
    status: 403,
    headers: {},
    body: { code: 'permission-denied', error: 'Your team <redacted> has either used all available credits or reached its monthly spending limit.' },
    source: 'github.com/NousResearch/hermes-agent issue #26847, comment by ctxawr ("403 Forbidden: permission-denied: …")',
    expected: penalised('quota_exceeded'),
  },

  // ─── Together, Fireworks, Mistral ──────────────────────────────────────────────────────────────────────────
  {
    id: 'together-401-invalid-api-key',
    provider: 'together',
    status: 401,
    headers: {},
    body: {
      error: {
        message: 'Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    },
    source: 'github.com/harshitv804/LawGPT issue #4',
    expected: penalised('authentication'),
  },
  {
    id: 'fireworks-404-model-not-deployed',
    provider: 'fireworks',
    status: 404,
    headers: {},
    body: { error: { message: 'Model not found, inaccessible, and/or not deployed', param: 'model', code: 'NOT_FOUND', type: 'error' } },
    source: 'github.com/warpdotdev/warp issue #15107 (openai-go prints the `error` object of the 404)',
    expected: blameless('not_found'),
  },
  {
    id: 'mistral-429-rate-limited-1300',
    provider: 'mistral',
    status: 429,
    headers: {},
    body: { object: 'error', message: 'Rate limit exceeded', type: 'rate_limited', param: null, code: '1300' },
    source: 'github.com/cline/cline issue #9085',
    expected: rateLimited(),
  },
  {
    id: 'mistral-429-requests-rate-limit-bare',
    provider: 'mistral',
    status: 429,
    headers: {},
    body: { message: 'Requests rate limit exceeded' },
    source: 'github.com/pydantic/pydantic-ai issue #1885',
    expected: rateLimited(),
  },

  // ─── OpenRouter ────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'openrouter-402-more-credits-or-fewer-max-tokens',
    provider: 'openrouter',
    status: 402,
    headers: {},
    body: {
      error: {
        message:
          'This request requires more credits, or fewer max_tokens. You requested up to 4096 tokens, but can only afford 222. To increase, visit ' +
          'https://openrouter.ai/settings/credits and upgrade to a paid account',
        code: 402,
      },
    },
    source:
      'github.com/continuedev/continue issue #11154 (message); shape `{ error: { code, message, metadata? } }` from openrouter.ai/docs/api/reference/errors-and-debugging',
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'openrouter-429-upstream-rate-limited',
    provider: 'openrouter',
    status: 429,
    headers: {},
    body: {
      error: {
        message: 'Provider returned error',
        code: 429,
        metadata: {
          raw: 'z-ai/glm-5.3-flash is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: ...',
          provider_name: 'BaseTen',
          limit_source: 'upstream_provider_shared_pool',
          remedy_hint: 'Retry shortly, add your own provider key, or route to another provider',
        },
      },
    },
    source: 'github.com/open-webui/computer issue #293',
    expected: rateLimited(),
  },
  {
    id: 'openrouter-403-moderation-flagged',
    provider: 'openrouter',
    status: 403,
    headers: {},
    body: {
      error: {
        message:
          'anthropic/claude-3-5-haiku requires moderation on Amazon Bedrock. Your input was flagged for "self-harm/instructions, self-harm/intent". No credits were charged.',
        code: 403,
        metadata: { reasons: ['self-harm/instructions', 'self-harm/intent'], flagged_input: 'Tell me about Instructions for self-harm' },
      },
    },
    source:
      'openrouter.ai/docs/api/reference/errors-and-debugging ("403: Your chosen model requires moderation and your input was flagged", ' +
      'ModerationErrorMetadata `reasons`, `flagged_input`); wording as reported in github.com/enricoros/big-AGI issue #352',
    expected: blameless('content_filter'),
  },
  {
    id: 'openrouter-401-user-not-found',
    provider: 'openrouter',
    status: 401,
    headers: {},
    body: { error: { message: 'User not found.', code: 401 } },
    source: 'github.com/apurvsinghgautam/robin issue #103',
    expected: penalised('authentication'),
  },
  {
    id: 'openrouter-400-provider-returned-error-raw',
    provider: 'openrouter',
    status: 400,
    headers: {},
    body: {
      error: {
        message: 'Provider returned error',
        code: 400,
        metadata: {
          raw: '{"error":{"type":"invalid_request_error","code":"invalid_request_error","message":"Model \'moonshotai/kimi-k2.6\' supports at most 1 image per prompt.","request_id":"req_*******"}}',
          provider_name: 'Crucible',
          is_byok: false,
        },
      },
      user_id: 'user_***************',
    },
    source: 'github.com/diegosouzapw/OmniRoute issue #3044',
    expected: blameless('invalid_request'),
  },

  // ─── Anthropic ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'anthropic-400-invalid-request',
    provider: 'anthropic',
    status: 400,
    headers: {},
    body: {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'messages.7: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01PBV2DaLWL6NpxwHvWBJCVq. Each `tool_use` block ' +
          'must have a corresponding `tool_result` block in the next message.',
      },
    },
    source: 'github.com/anthropics/claude-code issue #3862, comment by amilovidov',
    expected: blameless('invalid_request'),
  },
  {
    id: 'anthropic-400-credit-balance-too-low',
    provider: 'anthropic',
    status: 400,
    headers: {},
    body: {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      },
      request_id: 'req_011CbrFTcXhtiMzr3s6EocF7',
    },
    source: 'github.com/anthropics/claude-code issue #66314',
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'anthropic-400-api-usage-limits',
    provider: 'anthropic',
    status: 400,
    headers: {},
    body: {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'You have reached your specified API usage limits. You will regain access on 2026-02-01 at 00:00 UTC.' },
      request_id: 'req_011CXZsw1gEgiLBP7DY5qoXF',
    },
    source: 'github.com/anthropics/claude-code issue #21484',
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'anthropic-400-out-of-extra-usage',
    provider: 'anthropic',
    status: 400,
    headers: {},
    body: {
      type: 'error',
      error: { type: 'invalid_request_error', message: "You're out of extra usage. Add more at claude.ai/settings/usage and keep going." },
    },
    source: 'github.com/openclaw/openclaw pull request #61763 (fixes issue #61743)',
    expected: penalised('quota_exceeded'),
    refinedBy: { refiner: 'anthropic', coreCode: 'invalid_request' },
  },
  {
    id: 'anthropic-401-invalid-x-api-key',
    provider: 'anthropic',
    status: 401,
    headers: {},
    body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
    source: 'github.com/cline/cline issue #12',
    expected: penalised('authentication'),
  },
  {
    id: 'anthropic-402-billing-error',
    provider: 'anthropic',
    status: 402,
    headers: {},
    body: { type: 'error', error: { type: 'billing_error', message: 'Billing error' } },
    source:
      'platform.claude.com/docs/en/api/typescript/$shared (BillingError, default message); 402 billing_error per github.com/zed-industries/zed pull request #62984',
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'anthropic-403-permission-error',
    provider: 'anthropic',
    status: 403,
    headers: {},
    body: { type: 'error', error: { type: 'permission_error', message: 'Permission denied' }, request_id: 'req_011CaH53rCYtDAVnwhLQvkuc' },
    source: 'github.com/anthropics/claude-code issue #51610',
    expected: penalised('permission'),
  },
  {
    id: 'anthropic-403-request-not-allowed',
    provider: 'anthropic',
    status: 403,
    headers: { server: 'cloudflare', 'x-robots-tag': 'none' },
    body: { error: { type: 'forbidden', message: 'Request not allowed' } },
    source: 'github.com/anthropics/claude-quickstarts issue #32 (status, headers and error as printed by @anthropic-ai/sdk)',
    expected: penalised('permission'),
  },
  {
    id: 'anthropic-404-model-not-found',
    provider: 'anthropic',
    status: 404,
    headers: {},
    body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-3-5-sonnet-20241022 ' } },
    source: 'github.com/mattermost/mattermost-plugin-agents issue #257',
    expected: blameless('not_found'),
  },
  {
    id: 'anthropic-413-request-too-large',
    provider: 'anthropic',
    status: 413,
    headers: {},
    body: { error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } },
    source: 'github.com/anthropics/claude-code issue #14567 (sent by Cloudflare, without the `type: "error"` envelope)',
    expected: blameless('invalid_request'),
  },
  {
    id: 'anthropic-429-rate-limit-retry-after',
    provider: 'anthropic',
    status: 429,
    headers: {
      'x-should-retry': 'true',
      'anthropic-ratelimit-input-tokens-limit': '200000',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2025-06-02T15:15:48Z',
      'retry-after': '16',
    },
    body: {
      type: 'error',
      error: { type: 'rate_limit_error', message: "This request would exceed your account's rate limit. Please try again later." },
      request_id: 'req_011CcR9mkMvXdaiWP4739PSN',
    },
    source: 'body: github.com/anthropics/claude-code issue #71669; headers of a 429: github.com/whoz-oss/coday issue #110',
    expected: rateLimited(16_000),
  },
  {
    id: 'anthropic-500-api-error',
    provider: 'anthropic',
    status: 500,
    headers: {},
    body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' }, request_id: 'req_011Ca22E7qmK5pRh2ALrmXqy' },
    source: 'github.com/anthropics/claude-code issue #47471',
    expected: transient('server_error'),
  },
  {
    id: 'anthropic-504-timeout-error',
    provider: 'anthropic',
    status: 504,
    headers: {},
    body: { type: 'error', error: { type: 'timeout_error', message: 'Request timeout' } },
    source:
      'platform.claude.com/docs/en/api/typescript/$shared (GatewayTimeoutError, default message); 504 per github.com/zed-industries/zed pull request #62984',
    expected: transient('timeout'),
  },
  {
    id: 'anthropic-529-overloaded',
    provider: 'anthropic',
    status: 529,
    headers: { 'request-id': 'req_01RCc7MbLyQNtGKzBTv8VCep', 'x-should-retry': 'true', server: 'cloudflare' },
    body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    source: 'github.com/anthropics/anthropic-sdk-typescript issue #616 (status, headers and body)',
    expected: transient('server_error'),
  },

  // ─── Gemini API (API keys) ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'gemini-400-api-key-invalid',
    provider: 'gemini',
    status: 400,
    headers: {},
    body: {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
        ],
      },
    },
    source: 'github.com/continuedev/continue issue #10290',
    expected: penalised('authentication'),
  },
  {
    id: 'gemini-429-per-minute-retry-info',
    provider: 'gemini',
    status: 429,
    headers: {},
    body: {
      error: {
        code: 429,
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count',
                quotaId: 'GenerateContentInputTokensPerModelPerMinute-FreeTier',
                quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
                quotaValue: '250000',
              },
            ],
          },
          googleHelp,
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '26s' },
        ],
      },
    },
    source: "github.com/RooCodeInc/Roo-Code issue #3883, comment by jamestang4 (the Google body inside the client's wrapper)",
    expected: rateLimited(26_000),
  },
  {
    id: 'gemini-429-per-day-free-tier',
    provider: 'gemini',
    status: 429,
    headers: {},
    body: {
      error: {
        code: 429,
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: ' +
          'https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded ' +
          'for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 20, model: gemini-3.6-flash\nPlease retry in 36.429760048s.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
                quotaDimensions: '[MaxDepth]',
                quotaValue: '20',
              },
            ],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' },
        ],
      },
    },
    source: 'github.com/diegosouzapw/OmniRoute issue #9504 (captured 429, quotaDimensions as logged)',
    expected: quotaWithWait(36_000),
    refinedBy: { refiner: 'gemini', coreCode: 'rate_limit' },
  },
  {
    // Defect: classified rate_limit (retried 3×); the project's prepaid credits are gone.
    id: 'gemini-429-prepayment-credits-depleted',
    provider: 'gemini',
    status: 429,
    headers: {},
    body: {
      error: {
        code: 429,
        message: 'Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing.',
        status: 'RESOURCE_EXHAUSTED',
      },
    },
    source:
      'github.com/dyad-sh/dyad issue #3626 (message, "Failed after 3 attempts"); status and code as in github.com/JeffOtano/roni pull requests #125 and #336',
    expected: penalised('quota_exceeded'),
  },
  {
    id: 'gemini-400-user-location-not-supported',
    provider: 'gemini',
    status: 400,
    headers: {},
    body: { error: { code: 400, message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } },
    source: 'github.com/snailyp/gemini-balance issue #328',
    expected: penalised('permission'),
  },
  {
    // Defect: "billing" made this quota_exceeded; it is a property of the key's project (region, billing state).
    id: 'gemini-400-location-needs-billing-account',
    provider: 'gemini',
    status: 400,
    headers: {},
    body: { error: { code: 400, message: 'User location is not supported for the API use without a billing account linked.', status: 'FAILED_PRECONDITION' } },
    source: 'github.com/EvanZhouDev/gemini-ai issue #16',
    expected: penalised('permission'),
  },
  {
    id: 'gemini-403-key-reported-leaked',
    provider: 'gemini',
    status: 403,
    headers: {},
    body: { error: { code: 403, message: 'Your API key was reported as leaked. Please use another API key.', status: 'PERMISSION_DENIED' } },
    source: "github.com/continuedev/continue issue #10513 (the Google body inside the client's wrapper)",
    expected: penalised('permission'),
  },
  {
    id: 'gemini-503-model-overloaded',
    provider: 'gemini',
    status: 503,
    headers: {},
    body: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
    source: 'github.com/lobehub/lobehub issue #9728',
    expected: transient('server_error'),
  },
  {
    id: 'gemini-503-high-demand',
    provider: 'gemini',
    status: 503,
    headers: {},
    body: {
      error: {
        code: 503,
        message: 'This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.',
        status: 'UNAVAILABLE',
      },
    },
    source: 'github.com/continuedev/continue issue #10639',
    expected: transient('server_error'),
  },

  // ─── Vertex AI ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'vertex-429-resource-exhausted',
    provider: 'vertex',
    status: 429,
    headers: {},
    body: {
      error: {
        code: 429,
        message:
          'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
        errors: [
          {
            message:
              'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
            domain: 'global',
            reason: 'rateLimitExceeded',
          },
        ],
        status: 'RESOURCE_EXHAUSTED',
      },
    },
    source: 'github.com/google-gemini/gemini-cli issue #14831',
    expected: rateLimited(),
  },
  {
    id: 'vertex-403-iam-permission-denied',
    provider: 'vertex',
    status: 403,
    headers: {},
    body: {
      error: {
        code: 403,
        message:
          "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/gemini-xxxxxx/locations/us-central1/publishers/google/models/gemini-pro' (or it may not exist).",
        status: 'PERMISSION_DENIED',
      },
    },
    source: 'github.com/rpurinton/gemini-php issue #2',
    expected: penalised('permission'),
  },
  {
    id: 'vertex-404-publisher-model-not-found',
    provider: 'vertex',
    status: 404,
    headers: {},
    body: {
      error: {
        code: 404,
        message:
          'Publisher Model `projects/740989871600/locations/us-central1/publishers/google/models/gemini-x` was not found or your project does not have ' +
          'access to it. Please ensure you are using a valid model version. For more information, see: https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions',
        status: 'NOT_FOUND',
      },
    },
    source: 'github.com/genkit-ai/genkit issue #4688 (truncated in the report; message completed as in github.com/truefoundry/models pull request #946)',
    expected: blameless('not_found'),
  },

  // ─── Qwen / DashScope ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'qwen-400-data-inspection-failed',
    provider: 'qwen',
    status: 400,
    headers: {},
    body: {
      error: { code: 'data_inspection_failed', param: null, message: 'Input data may contain inappropriate content.', type: 'data_inspection_failed' },
      id: 'chatcmpl-deab386b-2562-9a7b-b8fa-0ba9385a5c28',
      request_id: 'deab386b-2562-9a7b-b8fa-0ba9385a5c28',
    },
    source: 'github.com/camel-ai/owl issue #432 (compatible-mode 400)',
    expected: blameless('content_filter'),
  },
  {
    id: 'qwen-400-arrearage',
    provider: 'qwen',
    status: 400,
    headers: {},
    body: {
      error: { code: 'Arrearage', param: null, message: 'Access denied, please make sure your account is in good standing.', type: 'Arrearage' },
      id: 'chatcmpl-f9fdb027-830c-9e05-8366-ce479a878825',
      request_id: 'f9fdb027-830c-9e05-8366-ce479a878825',
    },
    source: 'github.com/hsliuping/TradingAgents-CN issue #170 (compatible-mode body); status 400 as in github.com/QwenLM/Qwen issue #1414',
    expected: penalised('quota_exceeded'),
    refinedBy: { refiner: 'qwen', coreCode: 'invalid_request' },
  },
  {
    id: 'qwen-429-token-limit-worded-as-insufficient-quota',
    provider: 'qwen',
    status: 429,
    headers: {},
    body: {
      error: {
        message:
          'You exceeded your current quota, please check your plan and billing details. For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    },
    source:
      'github.com/can1357/oh-my-pi issue #8496 (a per-minute token throttle, "429 Throttling.AllocationQuota" with OpenAI\'s insufficient_quota wording and code)',
    expected: rateLimited(),
    refinedBy: { refiner: 'qwen', coreCode: 'quota_exceeded' },
  },
  {
    id: 'qwen-401-invalid-api-key-native',
    provider: 'qwen',
    status: 401,
    headers: {},
    body: { code: 'InvalidApiKey', message: 'Invalid API-key provided.', request_id: '01415ff3-53f4-989d-83c0-3eb61fa1418e' },
    source: 'github.com/dinoanderson/qwen_cli_coder issue #1 (DashScope native API)',
    expected: penalised('authentication'),
  },

  // ─── Cerebras ──────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'cerebras-429-requests-per-minute',
    provider: 'cerebras',
    status: 429,
    headers: {},
    body: {
      message: 'Requests per minute limit exceeded - too many requests sent.',
      type: 'too_many_requests_error',
      param: 'quota',
      code: 'request_quota_exceeded',
    },
    source: 'github.com/nminaya/grammar-nazi-bot issue #958',
    expected: rateLimited(),
  },
  {
    id: 'cerebras-400-wrong-api-format',
    provider: 'cerebras',
    status: 400,
    headers: {},
    body: {
      message:
        "messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' is unsupported\nmessages.4.assistant.reasoning_content: " +
        "property 'messages.4.assistant.reasoning_content' is unsupported",
      type: 'invalid_request_error',
      param: 'validation_error',
      code: 'wrong_api_format',
    },
    source: 'github.com/Alishahryar1/free-claude-code issue #1136',
    expected: blameless('invalid_request'),
  },
];
