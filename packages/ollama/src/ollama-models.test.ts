import { describe, expect, it } from 'vitest';
import { runningModels, tags } from './__fixtures__/ollama-chat';
import { ollamaModelCapabilities, parseOllamaModels, parseOllamaRunningModels } from './ollama-models';

describe('parseOllamaModels (GET /api/tags)', () => {
  it('lists each model by name, with its size and quantisation in the name and capabilities guessed by family', () => {
    const models = parseOllamaModels(tags, 'ollama');
    expect(models.map((model) => [model.id, model.name])).toEqual([
      ['deepseek-r1:latest', 'deepseek-r1:latest (7.6B, Q4_K_M)'],
      ['llama3.2:latest', 'llama3.2:latest (3.2B, Q4_K_M)'],
    ]);
    expect(models[0]?.capabilities.reasoning).toBe(true);
    expect(models[1]?.capabilities).toEqual({ streaming: true, tools: true, vision: false, reasoning: false, json: true });
  });

  it('is lenient: entries without a name are skipped, a body without models lists none', () => {
    expect(parseOllamaModels({ models: [{ size: 1 }, { model: 'only-model:1b' }] }, 'ollama').map((model) => model.id)).toEqual(['only-model:1b']);
    expect(parseOllamaModels({}, 'ollama')).toEqual([]);
    expect(parseOllamaModels('not json', 'ollama')).toEqual([]);
  });

  it('guesses vision from the name or a clip/mllama family', () => {
    expect(ollamaModelCapabilities('llava:13b').vision).toBe(true);
    expect(ollamaModelCapabilities('custom', ['llama', 'clip']).vision).toBe(true);
    expect(ollamaModelCapabilities('gpt-oss:20b')).toMatchObject({ vision: false, reasoning: true });
  });
});

describe('parseOllamaRunningModels (GET /api/ps)', () => {
  it('reads sizes, VRAM, details and expires_at as epoch ms', () => {
    expect(parseOllamaRunningModels(runningModels)).toEqual([
      {
        id: 'mistral:latest',
        sizeBytes: 5137025024,
        sizeVramBytes: 5137025024,
        expiresAt: Date.parse('2024-06-04T14:38:31.83753-07:00'),
        digest: '2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8',
        details: { format: 'gguf', family: 'llama', families: ['llama'], parameterSize: '7.2B', quantizationLevel: 'Q4_0' },
      },
    ]);
  });

  it('leaves out what a model in system memory does not report (size_vram) and reads context_length', () => {
    const [model] = parseOllamaRunningModels({ models: [{ name: 'qwen3:1.7b', size: 2800000000, context_length: 4096, expires_at: 'soon' }] });
    expect(model).toEqual({ id: 'qwen3:1.7b', sizeBytes: 2800000000, contextLength: 4096, details: {} });
  });
});
