// Smoke test of the built packages on the machine's own Node (20 here; users run ≥ 20): ESM and CJS entry points
// load, and a streaming call with key failover works end to end against a tiny local server. No vitest, no Node 24.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fail = (message) => {
  console.error(`smoke (node ${process.version}): FAILED — ${message}`);
  process.exit(1);
};

const packages = ['core', 'keymanager', 'openai-compatible', 'openai', 'cerebras', 'anthropic', 'metrics', 'testkit'];
const esm = {};
for (const name of packages) {
  esm[name] = await import(`../packages/${name}/dist/index.js`);
  const cjs = require(`../packages/${name}/dist/index.cjs`);
  const missing = Object.keys(esm[name]).filter((key) => !(key in cjs));
  if (missing.length > 0) fail(`@kit/${name} CJS lacks ${missing.join(', ')}`);
}
const providerUtilsEsm = await import('../packages/core/dist/provider-utils/index.js');
const providerUtilsCjs = require('../packages/core/dist/provider-utils/index.cjs');
const missingUtils = Object.keys(providerUtilsEsm).filter((key) => !(key in providerUtilsCjs));
if (missingUtils.length > 0) fail(`@kit/core/provider-utils CJS lacks ${missingUtils.join(', ')}`);
// The Node-only entries: core's loopback sign-in helper, and the provider entries built on it (through `@kit/core/node`).
for (const entry of ['core', 'gemini', 'openrouter']) {
  const nodeEsm = await import(`../packages/${entry}/dist/node/index.js`);
  const nodeCjs = require(`../packages/${entry}/dist/node/index.cjs`);
  const missingNode = Object.keys(nodeEsm).filter((key) => !(key in nodeCjs));
  if (Object.keys(nodeEsm).length === 0 || missingNode.length > 0) fail(`@kit/${entry}/node CJS lacks ${missingNode.join(', ') || 'everything'}`);
}

const chunks = ['Hello', ' from', ' Node'];
const server = createServer((request, response) => {
  if (request.headers.authorization === 'Bearer smoke-key-revoked') {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const [index, text] of chunks.entries()) {
    response.write(
      `data: ${JSON.stringify({ id: 'c1', model: 'm', choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content: text } : { content: text } }] })}\n\n`,
    );
  }
  response.write(`data: ${JSON.stringify({ id: 'c1', model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  response.write(`data: ${JSON.stringify({ id: 'c1', model: 'm', choices: [], usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } })}\n\n`);
  response.end('data: [DONE]\n\n');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}/v1`;

try {
  for (const [label, modules] of [
    ['esm', { openai: esm.openai, keymanager: esm.keymanager }],
    ['cjs', { openai: require('../packages/openai/dist/index.cjs'), keymanager: require('../packages/keymanager/dist/index.cjs') }],
  ]) {
    const keys = new modules.keymanager.KeyManager('openai', ['smoke-key-revoked', 'smoke-key-good']);
    const provider = modules.openai.createOpenAI({ credentials: keys, baseURL });
    const stream = await provider.generateChatCompletion({ prompt: 'hi' });
    let text = '';
    for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    if (text !== chunks.join('')) fail(`${label}: streamed "${text}"`);
    const health = keys.getKeyHealth();
    if (health[0].consecutiveFailures !== 1 || health[1].successes !== 1) fail(`${label}: key health ${JSON.stringify(health)}`);
  }
} finally {
  server.close();
}
console.log(`smoke (node ${process.version}): ESM and CJS load; a streaming call fails over and completes`);
