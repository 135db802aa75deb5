import { describe, expect, it } from 'vitest';
import { ollamaHostToBaseURL } from './ollama-host';

describe('ollamaHostToBaseURL (OLLAMA_HOST read as Ollama reads it)', () => {
  it.each([
    [undefined, 'http://localhost:11434'],
    ['', 'http://localhost:11434'],
    ['  ', 'http://localhost:11434'],
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    ['gpu-box:8080', 'http://gpu-box:8080'],
    [':9000', 'http://localhost:9000'],
    ['localhost:80', 'http://localhost'],
    ['http://gpu-box', 'http://gpu-box'],
    ['https://ollama.example.com', 'https://ollama.example.com'],
    ['https://ollama.example.com:8443/', 'https://ollama.example.com:8443'],
    ['http://gpu-box:11434/proxy/ollama/', 'http://gpu-box:11434/proxy/ollama'],
    ['[::1]:11435', 'http://[::1]:11435'],
    ['[::1]', 'http://[::1]:11434'],
    ['ftp://files', 'http://localhost:11434'],
  ])('%j → %s', (host, expected) => {
    expect(ollamaHostToBaseURL(host)).toBe(expected);
  });
});
