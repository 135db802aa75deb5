// The rules check-packages.mjs applies to every packed tarball, shown failing on broken input and passing on what
// the repository really ships (each package.json, each README) and on what scripts/new-package.mjs writes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bareBuiltinImports, manifestProblems, readmeProblems, repositoryUrl } from '../../scripts/package-tarball-rules.mjs';

const root = join(import.meta.dirname, '..', '..');
const packageDirectories = readdirSync(join(root, 'packages')).filter((name) => {
  try {
    return !JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).private;
  } catch {
    return false;
  }
});

describe('package READMEs: links that work on npm', () => {
  it('flags a relative link, a missing in-page anchor, and a repository link to a missing file or heading', () => {
    const readme = [
      '# pkg',
      '## Usage',
      'See [the guide](../../docs/metrics.md) and [usage](#usage) and [nowhere](#nowhere).',
      `Also [a page](${repositoryUrl}/blob/main/docs/no-such-page.md) and [a heading](${repositoryUrl}/blob/main/docs/metrics.md#no-such-heading).`,
      `And [fine](${repositoryUrl}/blob/main/docs/metrics.md) and [elsewhere](https://example.com/x.md).`,
    ].join('\n');
    const problems = readmeProblems(readme);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^README\.md:3: relative link \.\.\/\.\.\/docs\/metrics\.md is dead in the tarball/);
    expect(problems[1]).toMatch(/^README\.md:3: #nowhere is not a heading of the README/);
    expect(problems[2]).toMatch(/^README\.md:4: .*no-such-page\.md: .*does not exist/);
    expect(problems[3]).toMatch(/^README\.md:4: .*#no-such-heading: .*not a heading/);
  });

  it.each(packageDirectories)('packages/%s/README.md has none of those problems', (name) => {
    expect(readmeProblems(readFileSync(join(root, 'packages', name, 'README.md'), 'utf8'))).toEqual([]);
  });
});

describe('built code: Node built-ins keep their node: prefix', () => {
  it('flags bare built-ins in import, dynamic import and require, and leaves node:, packages and same-named dependencies alone', () => {
    const code = [
      "import { createServer } from 'http';",
      'const fs = require("fs/promises");',
      "const crypto = await import('crypto');",
      "import 'node:path';",
      "import { z } from 'zod';",
      "import { EventEmitter } from 'events';",
    ].join('\n');
    expect(bareBuiltinImports(code)).toEqual(['http', 'fs/promises', 'crypto', 'events']);
    expect(bareBuiltinImports(code, { events: '^3.3.0' })).toEqual(['http', 'fs/promises', 'crypto']);
  });

  it('the build (tsup.base.ts) keeps the prefix: built /node entries import node: modules', () => {
    const built = ['oauthmanager', 'gemini', 'qwen', 'openrouter', 'testkit'].flatMap((name) => {
      const dist = join(root, 'packages', name, 'dist');
      return readdirSync(dist, { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(c?js)$/.test(file))
        .map((file) => readFileSync(join(dist, file), 'utf8'));
    });
    expect(built.length).toBeGreaterThan(0);
    expect(built.some((code) => /from ["']node:/.test(code))).toBe(true);
    for (const code of built) expect(bareBuiltinImports(code)).toEqual([]);
  });
});

describe('package.json: what npm shows and resolves', () => {
  const good = {
    repository: { type: 'git', url: `git+${repositoryUrl}.git`, directory: 'packages/core' },
    homepage: `${repositoryUrl}/tree/main/packages/core#readme`,
    bugs: { url: `${repositoryUrl}/issues` },
    dependencies: { zod: '^4.6.7', '@kit/core': '^0.1.0' },
  };

  it('flags a missing or wrong repository directory, homepage, bugs and a workspace: range left by a plain npm pack', () => {
    expect(manifestProblems(good, 'core')).toEqual([]);
    expect(manifestProblems(good, 'openai')[0]).toMatch(/repository should be .*directory: 'packages\/openai'/);
    const problems = manifestProblems({ dependencies: { '@kit/core': 'workspace:^' } }, 'openai');
    expect(problems).toHaveLength(4);
    expect(problems[3]).toBe('package.json: dependencies.@kit/core is still workspace:^');
  });

  it.each(packageDirectories)('packages/%s/package.json has repository, homepage and bugs', (name) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    // The workspace ranges are replaced by `pnpm pack`; everything else must already be right in the source.
    expect(manifestProblems({ ...pkg, dependencies: {} }, name)).toEqual([]);
  });

  const scratch = mkdtempSync(join(tmpdir(), 'kit-new-package-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('scripts/new-package.mjs writes them too, and a README without relative links', () => {
    mkdirSync(join(scratch, 'scripts'));
    copyFileSync(join(root, 'scripts', 'new-package.mjs'), join(scratch, 'scripts', 'new-package.mjs'));
    copyFileSync(join(root, 'LICENSE'), join(scratch, 'LICENSE'));
    execFileSync(process.execPath, [join(scratch, 'scripts', 'new-package.mjs'), 'example', 'An example package.', '--entry', 'node'], { cwd: scratch });
    const pkg = JSON.parse(readFileSync(join(scratch, 'packages', 'example', 'package.json'), 'utf8'));
    expect(manifestProblems(pkg, 'example')).toEqual([]);
    expect(readmeProblems(readFileSync(join(scratch, 'packages', 'example', 'README.md'), 'utf8'))).toEqual([]);
  });
});
