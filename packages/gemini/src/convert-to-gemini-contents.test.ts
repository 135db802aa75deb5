import type { ChatMessage } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { SIGNATURE } from './__fixtures__/gemini-responses';
import { convertToGeminiContents } from './convert-to-gemini-contents';
import { syntheticCallId } from './gemini-call-id';

const convert = (messages: ChatMessage[]) => convertToGeminiContents(messages, 'gemini');

describe('convertToGeminiContents', () => {
  it('roles become user / model; system messages (wherever they are) join systemInstruction', () => {
    expect(
      convert([
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Name a prime.' },
      ]),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'Be terse.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello.' }] },
        { role: 'user', parts: [{ text: 'Name a prime.' }] },
      ],
    });
  });

  it('images, PDFs and audio: base64 and data: URLs as inlineData, other URLs as fileData', () => {
    const { contents } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          { type: 'image', source: { type: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123', mediaType: 'image/webp' } },
          { type: 'document', source: { type: 'url', url: 'gs://bucket/report.pdf' }, title: 'Report' },
          { type: 'document', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' } },
          { type: 'audio', source: { type: 'base64', mediaType: 'audio/mp3', data: 'SUQz' } },
          { type: 'audio', source: { type: 'url', url: 'https://www.youtube.com/watch?v=x' } },
        ],
      },
    ]);
    expect(contents[0]?.parts).toEqual([
      { text: 'Compare these' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/report.pdf' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0x' } },
      { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } },
      { fileData: { fileUri: 'https://www.youtube.com/watch?v=x' } },
    ]);
  });

  it('tool calls → functionCall parts; tool results → functionResponse named after the call with that id; parallel results in one user turn', () => {
    const { contents } = convert([
      { role: 'user', content: 'Weather and time in Paris?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'fc-1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'fc-2', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
        ],
      },
      { role: 'tool', toolCallId: 'fc-2', content: '"14:05"' },
      { role: 'tool', toolCallId: 'fc-1', content: '{"temperature":18,"sky":"sunny"}' },
      { role: 'user', content: 'Thanks' },
    ]);
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'fc-1', name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { id: 'fc-2', name: 'get_time', args: { zone: 'Europe/Paris' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'fc-2', name: 'get_time', response: { result: '14:05' } } },
          { functionResponse: { id: 'fc-1', name: 'get_weather', response: { temperature: 18, sky: 'sunny' } } },
          { text: 'Thanks' },
        ],
      },
    ]);
  });

  it('ids @kit synthesized are not sent to Gemini; the name is still found through them; plain-text results become { result }', () => {
    const id = syntheticCallId();
    const { contents } = convert([
      { role: 'user', content: 'ping' },
      { role: 'assistant', content: '', toolCalls: [{ id, name: 'ping', arguments: '' }] },
      { role: 'tool', toolCallId: id, content: [{ type: 'text', text: 'pong' }] },
    ]);
    expect(contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'ping', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'ping', response: { result: 'pong' } } }] },
    ]);
  });

  it('thought signatures go back where Gemini put them: the first function call, else the last part; thoughts as thought parts', () => {
    const withCalls = convert([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: '', signature: SIGNATURE },
          { type: 'text', text: 'Checking.' },
        ],
        toolCalls: [
          { id: 'a', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'b', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
      },
    ]).contents[1];
    expect(withCalls?.parts).toEqual([
      { text: 'Checking.' },
      { functionCall: { id: 'a', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SIGNATURE },
      { functionCall: { id: 'b', name: 'get_weather', args: { city: 'Rome' } } },
    ]);
    const textOnly = convert([
      { role: 'user', content: 'Prime?' },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Thinking about primes', signature: SIGNATURE },
          { type: 'text', text: 'Seven.' },
        ],
      },
    ]).contents[1];
    expect(textOnly?.parts).toEqual([
      { text: 'Thinking about primes', thought: true },
      { text: 'Seven.', thoughtSignature: SIGNATURE },
    ]);
  });

  it('bad history is an invalid_request naming the field', () => {
    expect(() =>
      convert([
        { role: 'user', content: 'x' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'f', arguments: '{not json' }] },
      ]),
    ).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('messages[1].toolCalls[0].arguments') }));
    expect(() => convert([{ role: 'tool', toolCallId: 'nowhere', content: '1' }])).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('messages[0].toolCallId') }),
    );
    // A tool message that names its function works without the call in history.
    expect(convert([{ role: 'tool', toolCallId: 'nowhere', name: 'lookup', content: '1' }]).contents[0]?.parts).toEqual([
      { functionResponse: { id: 'nowhere', name: 'lookup', response: { result: 1 } } },
    ]);
  });

  it('empty messages are left out (Gemini rejects empty parts)', () => {
    expect(
      convert([
        { role: 'user', content: '' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [] },
      ]).contents,
    ).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
  });
});
