import { describe, expect, it } from 'vitest';
import { signatureSegment, splitSignature } from './signature-segments';

describe('signature segments', () => {
  it('carries blocks of a kind beside the own signature and splits them back, in order', () => {
    const signature = `EqQBCkgIARAB${signatureSegment('redacted_thinking', 'ZGF0YS0x')}${signatureSegment('redacted_thinking', 'ZGF0YS0y')}`;
    expect(splitSignature(signature, 'redacted_thinking')).toEqual({ own: 'EqQBCkgIARAB', payloads: ['ZGF0YS0x', 'ZGF0YS0y'] });
    expect(splitSignature('EqQBCkgIARAB', 'redacted_thinking')).toEqual({ own: 'EqQBCkgIARAB', payloads: [] });
  });

  it('reads a kind with regular-expression characters literally, and only that kind', () => {
    const encrypted = signatureSegment('reasoning.encrypted', encodeURIComponent('{"data":"a;b"}'));
    const other = 'reasoningXencrypted:zzz;';
    const { own, payloads } = splitSignature(`${other}${encrypted}`, 'reasoning.encrypted');
    expect(payloads.map(decodeURIComponent)).toEqual(['{"data":"a;b"}']);
    expect(own).toBe(other);
  });

  it('takes a last segment without its closing semicolon', () => {
    expect(splitSignature('sig:redacted_thinking:abc', 'redacted_thinking')).toEqual({ own: 'sig:', payloads: ['abc'] });
  });
});
