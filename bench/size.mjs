// Bundle-size report and budget check: each app below is bundled by esbuild (minify, ESM, browser/worker
// conditions) and gzipped at level 9; sizes are in KB of 1024 bytes. The kit apps and the peer apps (official SDKs,
// the AI SDK) are built in the same run, side by side, because one budget is relative to the `openai` SDK app.
//
// Budgets (a miss is printed as a `BUDGET MISSED:` line; with `--check`, which CI runs via `pnpm size`, the script
// then exits 1):
//   - core + openai + keymanager one-call streaming app ≤ 32 KB min+gz, and ≥ 2.5× smaller than the same app on the
//     official `openai` SDK measured in this run;
//   - each provider's one-call app ≤ 8 KB on top of core (core = the engine app with an inline provider);
//   - an app importing only `KitError` from @kit/core ≤ 1.5 KB (module-level code that cannot be tree-shaken —
//     schemas built at import time, tables, spreads — shows up here first).
//
//   node bench/size.mjs [--check]          (`--peers` is accepted for old scripts; peers are always built)
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { printTable } from './bench-stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const entries = join(here, '.size-entries');
const KB = 1024;
const APP_BUDGET_KB = 32;
const PEER_FACTOR = 2.5;
const PROVIDER_BUDGET_KB = 8;
const KIT_ERROR_BUDGET_KB = 1.5;

/** A provider package's one-call streaming app, written as its README shows it. */
const oneCall = (factory, pkg, settings = "{ apiKey: 'test-key-1' }") => `
import { ${factory} } from '${pkg}';
const provider = ${factory}(${settings});
const stream = await provider.generateChatCompletion({ prompt: 'hi' });
for await (const event of stream) if (event.type === 'text-delta') console.log(event.text);
`;

/** The smallest app that runs core's engine: a provider built from an inline definition (the "core" baseline). */
const coreOnly = `
import { createChatProvider, sseFraming } from '@kit/core/provider-utils';
const provider = createChatProvider({
  specificationVersion: 'v1', type: 'x', defaultBaseURL: 'http://localhost', defaultModel: 'm', fallbackModels: [],
  capabilities: { streaming: true, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false },
  authHeaders: (lease) => ({ authorization: 'Bearer ' + lease.secret }),
  chat: { framing: sseFraming, buildRequest: (o) => ({ path: '/x', body: o }), parseResponse: () => {},
    createStreamMapper: () => ({ push: (c, emit) => emit({ type: 'text-delta', text: c.data }), end: () => {} }) },
}, { apiKey: 'test-key-1' });
const stream = await provider.generateChatCompletion({ prompt: 'hi' });
for await (const event of stream) console.log(event);
`;

/** An app that only uses the error type, as code that catches the kit's errors does. */
const kitErrorOnly = `
import { KitError } from '@kit/core';
try {
  throw new KitError('invalid_request', 'prompt: expected a string', { provider: 'app' });
} catch (error) {
  if (error instanceof KitError) console.log(error.code, error.retryable, error.message);
}
`;

const KIT_APP = 'core + openai + keymanager (streaming call)';
const OPENAI_APP = 'openai (official SDK)';

/**
 * Every app of the table, in print order. `role: 'baseline'` is the core app the provider rows are measured against;
 * budgets: `budgetKB` (absolute, gz), `providerBudgetKB` (gz on top of the baseline), `smallerThan` (another row's gz
 * divided by this row's must be ≥ `factor`).
 */
const apps = [
  { name: 'import only KitError from @kit/core', code: kitErrorOnly, budgetKB: KIT_ERROR_BUDGET_KB },
  { name: 'core (engine, inline provider)', code: coreOnly, role: 'baseline' },
  {
    name: KIT_APP,
    code: `
import { createOpenAI } from '@kit/openai';
import { KeyManager } from '@kit/keymanager';
const provider = createOpenAI({ credentials: new KeyManager('openai', ['test-key-1', 'test-key-2']) });
const stream = await provider.generateChatCompletion({ prompt: 'hi' });
for await (const event of stream) if (event.type === 'text-delta') console.log(event.text);
`,
    budgetKB: APP_BUDGET_KB,
    smallerThan: { app: OPENAI_APP, factor: PEER_FACTOR },
  },
  { name: '@kit/openai', code: oneCall('createOpenAI', '@kit/openai'), providerBudgetKB: PROVIDER_BUDGET_KB },
  {
    name: '@kit/openai-compatible',
    code: oneCall('createOpenAICompatible', '@kit/openai-compatible', "{ preset: 'groq', apiKey: 'test-key-1' }"),
    providerBudgetKB: PROVIDER_BUDGET_KB,
  },
  { name: '@kit/cerebras', code: oneCall('createCerebras', '@kit/cerebras'), providerBudgetKB: PROVIDER_BUDGET_KB },
  { name: '@kit/anthropic', code: oneCall('createAnthropic', '@kit/anthropic'), providerBudgetKB: PROVIDER_BUDGET_KB },
  { name: '@kit/qwen', code: oneCall('createQwen', '@kit/qwen'), providerBudgetKB: PROVIDER_BUDGET_KB },
  { name: '@kit/gemini', code: oneCall('createGemini', '@kit/gemini'), providerBudgetKB: PROVIDER_BUDGET_KB },
  { name: '@kit/ollama', code: oneCall('createOllama', '@kit/ollama'), providerBudgetKB: PROVIDER_BUDGET_KB },
  { name: '@kit/openrouter', code: oneCall('createOpenRouter', '@kit/openrouter'), providerBudgetKB: PROVIDER_BUDGET_KB },
  {
    name: '@kit/azure',
    code: oneCall('createAzure', '@kit/azure', "{ resourceName: 'my-resource', apiKey: 'test-key-1' }"),
    providerBudgetKB: PROVIDER_BUDGET_KB,
  },
  // The router over the core app's inline provider: the delta is the router's own weight.
  {
    name: '@kit/router',
    code: coreOnly.replace('const stream = await provider.', "import { createFallback } from '@kit/router';\nconst stream = await createFallback([provider])."),
    providerBudgetKB: PROVIDER_BUDGET_KB,
  },
  // The official SDKs over a pool (issue 16): what `credentialFetch` costs an app that imports it with a KeyManager.
  {
    name: 'credentialFetch (core, openai preset)',
    code: `
import { credentialFetch } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
const fetch = credentialFetch(new KeyManager('openai', ['test-key-1', 'test-key-2']), { preset: 'openai' });
const response = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: '{}' });
console.log(response.status);
`,
  },
  {
    name: OPENAI_APP,
    code: `
import OpenAI from 'openai';
const client = new OpenAI({ apiKey: 'test-key-1', dangerouslyAllowBrowser: true });
const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
for await (const chunk of stream) console.log(chunk.choices[0]?.delta?.content);
`,
  },
  {
    name: '@anthropic-ai/sdk (official SDK)',
    code: `
import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic({ apiKey: 'test-key-1', dangerouslyAllowBrowser: true });
const stream = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }], stream: true });
for await (const event of stream) console.log(event);
`,
  },
  {
    // What AI SDK users write: streamText from 'ai' with a provider model, reading textStream.
    name: 'ai + @ai-sdk/openai (streamText)',
    code: `
import { streamText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
const openai = createOpenAI({ apiKey: 'test-key-1' });
const result = streamText({ model: openai('gpt-4.1-mini'), prompt: 'hi' });
for await (const text of result.textStream) console.log(text);
`,
  },
];

/** Bundles one app; resolves with its sizes, or with the build error (a broken app must fail the check, not vanish). */
async function measure(app) {
  const file = join(entries, `${app.name.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
  writeFileSync(file, app.code);
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['worker', 'browser'],
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0].contents;
    return { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  } catch (error) {
    const first = error.errors?.[0];
    return { error: first ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}` : String(error) };
  }
}

const check = process.argv.includes('--check');
rmSync(entries, { recursive: true, force: true });
mkdirSync(entries, { recursive: true });
let sizes;
try {
  sizes = new Map(await Promise.all(apps.map(async (app) => [app.name, await measure(app)])));
} finally {
  rmSync(entries, { recursive: true, force: true });
}

const kb = (bytes) => (bytes / KB).toFixed(2);
const misses = [];
const baseline = apps.find((app) => app.role === 'baseline');
const rows = [['app', 'min KB', 'gz KB', 'budget', 'verdict']];
for (const app of apps) {
  const size = sizes.get(app.name);
  if (size.error) {
    misses.push(`${app.name}: the app did not build: ${size.error}`);
    rows.push([app.name, '-', '-', '', 'BUILD FAILED']);
    continue;
  }
  const budgets = [];
  const verdicts = [];
  const judge = (ok, budget, measured, missLine) => {
    budgets.push(budget);
    verdicts.push(`${measured ? `${measured} ` : ''}${ok ? 'ok' : 'MISSED'}`);
    if (!ok) misses.push(missLine);
  };
  if (app.role === 'baseline') budgets.push('(baseline of the provider rows)');
  if (app.budgetKB !== undefined) {
    judge(
      size.gzip <= app.budgetKB * KB,
      `≤ ${app.budgetKB} KB`,
      `${kb(size.gzip)} KB`,
      `${app.name} is ${kb(size.gzip)} KB min+gz, over its ${app.budgetKB} KB budget by ${kb(size.gzip - app.budgetKB * KB)} KB`,
    );
  }
  if (app.providerBudgetKB !== undefined) {
    const base = sizes.get(baseline.name);
    if (base.error) {
      judge(false, `≤ ${app.providerBudgetKB} KB on top of core`, 'no baseline', `${app.name}: no core baseline to compare with (it did not build)`);
    } else {
      const delta = size.gzip - base.gzip;
      judge(
        delta <= app.providerBudgetKB * KB,
        `≤ ${app.providerBudgetKB} KB on top of core`,
        `+${kb(delta)} KB`,
        `${app.name} adds ${kb(delta)} KB min+gz on top of core, over its ${app.providerBudgetKB} KB budget`,
      );
    }
  }
  if (app.smallerThan !== undefined) {
    const { app: peerName, factor } = app.smallerThan;
    const peer = sizes.get(peerName);
    const budget = `≥ ${factor}× smaller than ${peerName}`;
    if (peer.error) {
      judge(false, budget, 'peer did not build', `${app.name}: cannot compare with ${peerName} (it did not build)`);
    } else {
      const ratio = peer.gzip / size.gzip;
      judge(
        ratio >= factor,
        budget,
        `${ratio.toFixed(2)}×`,
        `${app.name} is only ${ratio.toFixed(2)}× smaller than ${peerName} (${kb(size.gzip)} vs ${kb(peer.gzip)} KB min+gz; goal ≥ ${factor}×)`,
      );
    }
  }
  rows.push([app.name, kb(size.minified), kb(size.gzip), budgets.join('; '), verdicts.join('; ')]);
}

console.log('# bundle sizes: esbuild --minify, ESM, browser/worker conditions, gzip -9; KB = 1024 bytes; all apps built in this run');
console.log('');
printTable(rows, 'lrrll');
console.log('');
for (const miss of misses) console.log(`BUDGET MISSED: ${miss}`);
console.log(misses.length === 0 ? 'verdict: OK — every bundle budget is met' : `verdict: MISSED — ${misses.length} bundle budget(s) missed`);
if (check && misses.length > 0) {
  console.error(`size check failed: ${misses.length} bundle budget(s) missed (BUDGET MISSED lines above)`);
  process.exit(1);
}
