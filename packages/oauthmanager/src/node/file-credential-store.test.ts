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

/** `node:fs/promises` behind the store's file-system interface, with some operations replaced. */
function realFileSystem(overrides: Partial<CredentialFileSystem> = {}): CredentialFileSystem {
  return {
    readFile: (file, encoding) => fs.readFile(file, encoding),
    open: (file, flags, mode) => fs.open(file, flags, mode),
    rename: (from, to) => fs.rename(from, to),
    unlink: (file) => fs.unlink(file),
    mkdir: (file, options) => fs.mkdir(file, options),
    readdir: (file) => fs.readdir(file),
    ...overrides,
  };
}

/** A real file system that records what the store does with it (paths relative to `directory`). */
function recordingFileSystem(log: string[], directorySync?: () => Promise<void>): CredentialFileSystem {
  const name = (file: string) => (file === directory ? '<dir>' : file.slice(directory.length + 1).replace(/[0-9a-f]{12}$/, '<random>'));
  return realFileSystem({
    async open(file, flags, mode) {
      log.push(`open ${name(file)} ${flags}${mode === undefined ? '' : ` ${mode.toString(8)}`}`);
      const handle = await fs.open(file, flags, mode);
      return {
        writeFile: async (data, encoding) => {
          log.push(`write ${name(file)}`);
          await handle.writeFile(data, encoding);
        },
        sync: async () => {
          log.push(`sync ${name(file)}`);
          if (file === directory && directorySync) return directorySync();
          await handle.sync();
        },
        close: async () => {
          log.push(`close ${name(file)}`);
          await handle.close();
        },
      };
    },
    async rename(from, to) {
      log.push(`rename ${name(from)} ${name(to)}`);
      await fs.rename(from, to);
    },
  });
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
    const crashing = realFileSystem({
      rename: async () => {
        throw Object.assign(new Error('EIO: simulated crash before rename'), { code: 'EIO' });
      },
    });
    const store = new FileCredentialStore({ path, fileSystem: crashing });
    const error = await kitErrorOf(store.save(credential('a', { refreshToken: refreshTokenOf('a', 9) })));
    expect(error.message).toContain('cannot write');
    // Not a network error: the file system is the configuration at fault.
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('EIO') });
    expectNoSecrets([error, inspect(error)], secretsIn([credential('a')], 9));
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(directory)).toEqual(['accounts.json']);
    // The store still answers what is on disk, not the write that failed.
    expect((await new FileCredentialStore({ path }).load())[0]!.refreshToken).toBe(refreshTokenOf('a'));
  });

  it('under the lock file (opened wx), writes a temporary file opened wx with mode 0600, fsyncs and closes it, renames it, then fsyncs the directory', async () => {
    const path = join(directory, 'accounts.json');
    const log: string[] = [];
    await new FileCredentialStore({ path, fileSystem: recordingFileSystem(log) }).save(credential('a'));
    expect(log.filter((entry) => !entry.startsWith('readdir'))).toEqual([
      'open accounts.json.lock wx 600',
      'write accounts.json.lock',
      'close accounts.json.lock',
      'open accounts.json.tmp-<random> wx 600',
      'write accounts.json.tmp-<random>',
      'sync accounts.json.tmp-<random>',
      'close accounts.json.tmp-<random>',
      'rename accounts.json.tmp-<random> accounts.json',
      'open <dir> r',
      'sync <dir>',
      'close <dir>',
    ]);
    expect(await new FileCredentialStore({ path }).load()).toEqual([credential('a')]);
  });

  it('a directory fsync the platform does not support (EINVAL, EPERM) is ignored; another failure is reported', async () => {
    const path = join(directory, 'accounts.json');
    for (const code of ['EINVAL', 'EPERM']) {
      const refuse = async () => Promise.reject(Object.assign(new Error(`${code}: not supported`), { code }));
      await new FileCredentialStore({ path, fileSystem: recordingFileSystem([], refuse) }).save(credential(code));
    }
    expect((await new FileCredentialStore({ path }).load()).map(({ id }) => id)).toEqual(['EINVAL', 'EPERM']);
    let failures = 1;
    const brokenOnce = async () => {
      if (failures-- > 0) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    };
    const store = new FileCredentialStore({ path, fileSystem: recordingFileSystem([], brokenOnce) });
    const error = await kitErrorOf(store.save(credential('c')));
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('EIO') });
    // The file was renamed into place before the directory fsync failed: the next save keeps what it holds.
    await store.save(credential('d'));
    expect((await new FileCredentialStore({ path }).load()).map(({ id }) => id)).toEqual(['EINVAL', 'EPERM', 'c', 'd']);
  });

  it('a path that cannot hold the file (its directory is a file) is an invalid_config error naming it', async () => {
    const blocker = join(directory, 'not-a-directory');
    await writeFile(blocker, 'x');
    const path = join(blocker, 'accounts.json');
    const error = await kitErrorOf(new FileCredentialStore({ path }).save(credential('a')));
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining(path) });
    // A directory that cannot be created (no permission).
    const denied = realFileSystem({ mkdir: async () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) });
    const elsewhere = join(directory, 'locked', 'accounts.json');
    const mkdirError = await kitErrorOf(new FileCredentialStore({ path: elsewhere, fileSystem: denied }).save(credential('a')));
    expect(mkdirError).toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/cannot write .*locked.*EACCES/) });
  });

  it('removes temporary files a crashed earlier write left behind, on load and on save, and nothing else', async () => {
    const path = join(directory, 'accounts.json');
    await new FileCredentialStore({ path }).save(credential('a'));
    const leftovers = ['accounts.json.tmp-0123456789ab', 'accounts.json.tmp-ba9876543210'];
    const others = ['accounts.json.tmpl', 'other.json.tmp-0123456789ab', 'accounts.json.bak'];
    for (const file of [...leftovers, ...others]) await writeFile(join(directory, file), '{"half":');
    expect(await new FileCredentialStore({ path }).load()).toEqual([credential('a')]);
    expect((await readdir(directory)).sort()).toEqual(['accounts.json', ...others].sort());
    await writeFile(join(directory, leftovers[0]!), '{"half":');
    await new FileCredentialStore({ path }).save(credential('b'));
    expect((await readdir(directory)).sort()).toEqual(['accounts.json', ...others].sort());
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
    const first = new OAuthManager('qwen', [credential('a')], refresh, {
      store: new FileCredentialStore({ path, passphrase: 'p', scrypt: fast }),
      now: () => time,
    });
    await first.acquire();
    time += 2 * HOUR;
    const second = new OAuthManager('qwen', [], refresh, { store: new FileCredentialStore({ path, passphrase: 'p' }), now: () => time });
    await second.acquire();
    expect(calls.map((call) => call.refreshToken)).toEqual([refreshTokenOf('a'), refreshTokenOf('a', 1)]);
    const wrong = new OAuthManager('qwen', [], refresh, { store: new FileCredentialStore({ path, passphrase: 'not-p' }) });
    expect(await kitErrorOf(wrong.acquire())).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('passphrase is wrong') });
  });
});
