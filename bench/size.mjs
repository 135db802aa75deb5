// Bundle-size report and budget check (SPEC §10): esbuild (minify, browser/worker conditions) + gzip of a
// one-call app per package. `--check` fails on a budget overrun (CI runs it); `--peers` adds the official SDKs.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const entries = join(here, '.size-entries');
const KB = 1024;

const oneCall = (factory, pkg, settings = "{ apiKey: 'test-key-1' }") => `
import { ${factory} } from '${pkg}';
const provider = ${factory}(${settings});
const stream = await provider.generateChatCompletion({ prompt: 'hi' });
for await (const event of stream) if (event.type === 'text-delta') console.log(event.text);
`;

/** The smallest app that runs core's engine: a provider built from an inline definition. */
const coreOnly = `
import { createChatProvider, sseFraming } from '@kit/core';
const provider = createChatProvider({
  type: 'x', defaultBaseURL: 'http://localhost', defaultModel: 'm', fallbackModels: [],
  capabilities: { streaming: true, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false },
  authHeaders: (lease) => ({ authorization: 'Bearer ' + lease.secret }),
  chat: { framing: sseFraming, buildRequest: (o) => ({ path: '/x', body: o }), parseResponse: () => {},
    createStreamMapper: () => ({ push: (c, emit) => emit({ type: 'text-delta', text: c.data }), end: () => {} }) },
}, { apiKey: 'test-key-1' });
const stream = await provider.generateChatCompletion({ prompt: 'hi' });
for await (const event of stream) console.log(event);
`;

const scenarios = [
  { name: 'core (engine, inline provider)', code: coreOnly, baseline: true },
  {
    name: 'core + openai + keymanager (streaming call)',
    code: `
import { createOpenAI } from '@kit/openai';
import { KeyManager } from '@kit/keymanager';
const provider = createOpenAI({ credentials: new KeyManager('openai', ['test-key-1', 'test-key-2']) });
const stream = await provider.generateChatCompletion({ prompt: 'hi' });
for await (const event of stream) if (event.type === 'text-delta') console.log(event.text);
`,
    budgetKB: 15,
  },
  { name: '@kit/openai', code: oneCall('createOpenAI', '@kit/openai'), providerBudgetKB: 8 },
  { name: '@kit/openai-compatible', code: oneCall('createOpenAICompatible', '@kit/openai-compatible', "{ preset: 'groq', apiKey: 'test-key-1' }"), providerBudgetKB: 8 },
  { name: '@kit/cerebras', code: oneCall('createCerebras', '@kit/cerebras'), providerBudgetKB: 8 },
  { name: '@kit/anthropic', code: oneCall('createAnthropic', '@kit/anthropic'), providerBudgetKB: 8 },
  { name: '@kit/qwen', code: oneCall('createQwen', '@kit/qwen'), providerBudgetKB: 8 },
  { name: '@kit/gemini', code: oneCall('createGemini', '@kit/gemini'), providerBudgetKB: 8 },
];

const peers = [
  {
    name: '@anthropic-ai/sdk (official SDK)',
    code: `
import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic({ apiKey: 'test-key-1', dangerouslyAllowBrowser: true });
const stream = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }], stream: true });
for await (const event of stream) console.log(event);
`,
  },
  {
    name: 'openai (official SDK)',
    code: `
import OpenAI from 'openai';
const client = new OpenAI({ apiKey: 'test-key-1', dangerouslyAllowBrowser: true });
const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
for await (const chunk of stream) console.log(chunk.choices[0]?.delta?.content);
`,
  },
  {
    name: '@ai-sdk/openai + ai',
    code: `
import { createOpenAI } from '@ai-sdk/openai';
const openai = createOpenAI({ apiKey: 'test-key-1' });
const result = await openai.chat('gpt-4.1-mini').doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
const reader = result.stream.getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) console.log(r.value);
`,
  },
];

async function measure(scenario) {
  const file = join(entries, `${scenario.name.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
  writeFileSync(file, scenario.code);
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
}

const check = process.argv.includes('--check');
const withPeers = process.argv.includes('--peers');
rmSync(entries, { recursive: true, force: true });
mkdirSync(entries, { recursive: true });
const rows = [];
let failures = 0;
let baseline = 0;
for (const scenario of [...scenarios, ...(withPeers ? peers : [])]) {
  const size = await measure(scenario);
  if (scenario.baseline) baseline = size.gzip;
  let verdict = '';
  if (scenario.budgetKB !== undefined) {
    const ok = size.gzip <= scenario.budgetKB * KB;
    verdict = `${ok ? 'ok' : 'OVER'} (budget ${scenario.budgetKB} KB)`;
    if (!ok) failures += 1;
  }
  if (scenario.providerBudgetKB !== undefined) {
    const delta = size.gzip - baseline;
    const ok = delta <= scenario.providerBudgetKB * KB;
    verdict = `${ok ? 'ok' : 'OVER'}: +${(delta / KB).toFixed(2)} KB on top of core (budget ${scenario.providerBudgetKB} KB)`;
    if (!ok) failures += 1;
  }
  rows.push({ name: scenario.name, minifiedKB: (size.minified / KB).toFixed(2), gzipKB: (size.gzip / KB).toFixed(2), verdict });
}
rmSync(entries, { recursive: true, force: true });
console.log('bundle sizes (esbuild --minify, browser/worker conditions, gzip -9):');
for (const row of rows) console.log(`  ${row.name.padEnd(46)} ${row.minifiedKB.padStart(8)} KB min  ${row.gzipKB.padStart(7)} KB gz  ${row.verdict}`);
if (check && failures > 0) {
  console.error(`${failures} bundle budget(s) exceeded`);
  process.exit(1);
}
