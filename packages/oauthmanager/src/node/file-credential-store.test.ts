import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { KitError } from '@kit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OAuthManager } from '../oauth-manager';
import { credential, expectNoSecrets, HOUR, refreshTokenOf, scriptedRefresh, secretsIn, START } from '../test-helpers';
import { FileCredentialStore, type CredentialFileSystem } from './file-credential-store';

const fast = { N: 1024, r: 8, p: 1 };
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kit-oauth-store-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function kitErrorOf(promise: Promise<unknown>): Promise<KitError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!KitError.is(error)) throw new Error(`expected a KitError, got ${String(error)}`);
  return error;
}

describe('FileCredentialStore (plain)', () => {
  it('a missing file is an empty store; saves add and replace by id; delete removes', async () => {
    const store = new FileCredentialStore({ path: join(directory, 'nested', 'accounts.json') });
    expect(await store.load()).toEqual([]);
    await store.save(credential('a'));
    await store.save(credential('b'));
    await store.save(credential('a', { accessToken: 'test-access-token-a-new' }));
    await store.delete('b');
    const again = new FileCredentialStore({ path: join(directory, 'nested', 'accounts.json') });
    expect(await again.load()).toEqual([credential('a', { accessToken: 'test-access-token-a-new' })]);
  });

  it('writes the file with mode 0600 and leaves no temporary file', async () => {
    const path = join(directory, 'accounts.json');
    const store = new FileCredentialStore({ path });
    await store.save(credential('a'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['accounts.json']);
  });

  it('serialises concurrent saves (none is lost)', async () => {
    const store = new FileCredentialStore({ path: join(directory, 'accounts.json') });
    await Promise.all(Array.from({ length: 20 }, (_, n) => store.save(credential(`account-${n}`))));
    expect((await new FileCredentialStore({ path: join(directory, 'accounts.json') }).load()).map((c) => c.id).sort()).toHaveLength(20);
  });

  it('a crash between write and rename leaves the old file intact (and no temporary file)', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path }).save(credential('a'));
    const before = await readFile(path, 'utf8');
    const crashing: CredentialFileSystem = {
      readFile: (file, encoding) => fs.readFile(file, encoding),
      writeFile: (file, data, options) => fs.writeFile(file, data, options),
      rename: async () => {
        throw Object.assign(new Error('EIO: simulated crash before rename'), { code: 'EIO' });
      },
      unlink: (file) => fs.unlink(file),
      mkdir: (file, options) => fs.mkdir(file, options),
    };
    const store = new FileCredentialStore({ path, fileSystem: crashing });
    const error = await kitErrorOf(store.save(credential('a', { refreshToken: refreshTokenOf('a', 9) })));
    expect(error.message).toContain('cannot write');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(directory)).toEqual(['accounts.json']);
    // The store still answers what is on disk, not the write that failed.
    expect((await new FileCredentialStore({ path }).load())[0]!.refreshToken).toBe(refreshTokenOf('a'));
  });

  it('a file that is not JSON or not a credential list is an error, never an empty store', async () => {
    const path = join(directory, 'accounts.json');
    await writeFile(path, '{"version":1,"credentials":[{"id":"a"');
    expect((await kitErrorOf(new FileCredentialStore({ path }).load())).code).toBe('invalid_config');
    await writeFile(path, '{"accounts":[]}');
    expect((await kitErrorOf(new FileCredentialStore({ path }).load())).message).toContain('credential list');
  });

  it('does not overwrite a file it could not read', async () => {
    const path = join(directory, 'accounts.json');
    await writeFile(path, 'not json');
    await kitErrorOf(new FileCredentialStore({ path }).save(credential('a')));
    expect(await readFile(path, 'utf8')).toBe('not json');
  });

  it('expands ~/ and rejects a missing path or an empty passphrase', () => {
    expect(new FileCredentialStore({ path: '~/kit-test.json' }).path).not.toContain('~');
    expect(() => new FileCredentialStore({ path: '' })).toThrow(/options\.path/);
    expect(() => new FileCredentialStore({ path: 'x.json', passphrase: '' })).toThrow(/options\.passphrase/);
  });
});

describe('FileCredentialStore (encrypted)', () => {
  it('round-trips through AES-256-GCM; the file holds no token', async () => {
    const path = join(directory, 'accounts.json');
    const input = [credential('a', { clientSecret: 'test-client-secret-abcdefgh' }), credential('b')];
    const store = new FileCredentialStore({ path, passphrase: 'correct horse battery staple', scrypt: fast });
    for (const c of input) await store.save(c);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ version: 1, encryption: { algorithm: 'aes-256-gcm', kdf: 'scrypt', N: 1024, r: 8, p: 1 } });
    expectNoSecrets([text, inspect(store), JSON.stringify(store)], secretsIn(input, 0));
    const reader = new FileCredentialStore({ path, passphrase: 'correct horse battery staple' });
    expect(await reader.load()).toEqual(input);
  });

  it('uses the default scrypt cost (N = 32768) for new files', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path, passphrase: 'pass' }).save(credential('a'));
    expect(JSON.parse(await readFile(path, 'utf8')).encryption.N).toBe(32_768);
  });

  it('a wrong passphrase is a clear invalid_config error, never an empty store', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path, passphrase: 'right', scrypt: fast }).save(credential('a'));
    const error = await kitErrorOf(new FileCredentialStore({ path, passphrase: 'wrong' }).load());
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/passphrase is wrong/);
    expect(error.message).not.toContain('wrong"');
    // Nor may a save with the wrong passphrase replace the file.
    const before = await readFile(path, 'utf8');
    await kitErrorOf(new FileCredentialStore({ path, passphrase: 'wrong' }).save(credential('b')));
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('an encrypted file without a passphrase, or an altered one, is an error', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path, passphrase: 'right', scrypt: fast }).save(credential('a'));
    expect((await kitErrorOf(new FileCredentialStore({ path }).load())).message).toContain('is encrypted');
    const envelope = JSON.parse(await readFile(path, 'utf8'));
    const data = Buffer.from(envelope.data, 'base64');
    data[0] = data[0]! ^ 1;
    await writeFile(path, JSON.stringify({ ...envelope, data: data.toString('base64') }));
    expect((await kitErrorOf(new FileCredentialStore({ path, passphrase: 'right' }).load())).message).toContain('altered');
  });

  it('a plain file is read with a passphrase and encrypted on the next save', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path }).save(credential('a'));
    const store = new FileCredentialStore({ path, passphrase: 'now-secret', scrypt: fast });
    expect(await store.load()).toHaveLength(1);
    await store.save(credential('b'));
    expect(JSON.parse(await readFile(path, 'utf8')).encryption).toBeDefined();
    expect(await new FileCredentialStore({ path, passphrase: 'now-secret' }).load()).toHaveLength(2);
  });
});

describe('FileCredentialStore with an OAuthManager', () => {
  it('persists rotated tokens; a new manager over the same file continues with them', async () => {
    const path = join(directory, 'accounts.json');
    let time = START + 2 * HOUR;
    const { refresh, calls } = scriptedRefresh();
    const first = new OAuthManager('qwen', [credential('a')], refresh, { store: new FileCredentialStore({ path, passphrase: 'p', scrypt: fast }), now: () => time });
    await first.acquire();
    time += 2 * HOUR;
    const second = new OAuthManager('qwen', [], refresh, { store: new FileCredentialStore({ path, passphrase: 'p' }), now: () => time });
    await second.acquire();
    expect(calls.map((call) => call.refreshToken)).toEqual([refreshTokenOf('a'), refreshTokenOf('a', 1)]);
    const wrong = new OAuthManager('qwen', [], refresh, { store: new FileCredentialStore({ path, passphrase: 'not-p' }) });
    expect(await kitErrorOf(wrong.acquire())).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('passphrase is wrong') });
  });
});
