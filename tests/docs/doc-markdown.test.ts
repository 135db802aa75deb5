// The Markdown reading behind the documentation checks (scripts/check-doc-snippets.mjs, scripts/check-doc-links.mjs):
// which blocks are type-checked or skipped, which anchors GitHub gives headings, which links are checked.
import { describe, expect, it } from 'vitest';
import { extractLinks, githubSlug, headingAnchors, linkProblem, listDocFiles, scanMarkdown } from '../../scripts/doc-markdown.mjs';

describe('scanMarkdown', () => {
  it('finds fenced blocks with their language, flags, opening line and code, and the skip marker above them', () => {
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      "const a = 'x';", // 3
      '```', // 4
      '<!-- snippet: skip needs a live Redis -->', // 5
      '', // 6
      '```ts', // 7
      'await redis.connect();', // 8
      '```', // 9
      '```ts partial', // 10
      'maxRetries: 3,', // 11
      '```', // 12
      '~~~sh', // 13
      'npm test', // 14
      '~~~', // 15
    ].join('\n');
    const { blocks, prose } = scanMarkdown(markdown);
    expect(blocks).toEqual([
      { language: 'ts', flags: [], line: 2, code: "const a = 'x';", skipReason: null },
      { language: 'ts', flags: [], line: 7, code: 'await redis.connect();', skipReason: 'needs a live Redis' },
      { language: 'ts', flags: ['partial'], line: 10, code: 'maxRetries: 3,', skipReason: null },
      { language: 'sh', flags: [], line: 13, code: 'npm test', skipReason: null },
    ]);
    expect(prose.map((entry) => entry.line)).toEqual([1, 5, 6]);
  });

  it('removes the indentation of a fence inside a list item from its code', () => {
    const { blocks } = scanMarkdown(['1. Step', '   ```ts', '   const a = 1;', '     const b = 2;', '   ```'].join('\n'));
    expect(blocks[0]?.code).toBe('const a = 1;\n  const b = 2;');
  });

  it('does not take a line of inline code for a fence, and reads an unclosed fence to the end', () => {
    const { blocks } = scanMarkdown(['```js inline```', 'text', '````md', '```ts', 'inner', '```'].join('\n'));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ language: 'md', line: 3, code: '```ts\ninner\n```' });
  });
});

describe('githubSlug and headingAnchors', () => {
  it('follows GitHub: lower case, punctuation dropped, each space a hyphen', () => {
    expect(githubSlug('Error handling: the code table')).toBe('error-handling-the-code-table');
    expect(githubSlug('Errors — what to do')).toBe('errors--what-to-do');
    expect(githubSlug('credentials_exhausted (429)')).toBe('credentials_exhausted-429');
    expect(githubSlug('Über Köln')).toBe('über-köln');
  });

  it('renders inline code, links and emphasis before slugging, numbers repeats, reads setext headings and <a id>', () => {
    const markdown = [
      '## `KitError` codes',
      '## The [router](router.md) and **you**',
      '## Usage',
      '## Usage',
      'Setext heading',
      '---',
      '<a id="custom-anchor"></a>',
      '```md',
      '## Not a heading',
      '```',
    ].join('\n');
    expect([...headingAnchors(markdown)].sort()).toEqual(
      ['custom-anchor', 'kiterror-codes', 'setext-heading', 'the-router-and-you', 'usage', 'usage-1'].sort(),
    );
  });
});

describe('extractLinks', () => {
  it('returns inline links, images, reference definitions and href/src, but nothing inside code', () => {
    const markdown = [
      'See [errors](error-handling.md#the-code-table "Errors") and ![diagram](img/a.png).',
      'Inline `[not](a-link.md)` code.',
      '[ref]: ./providers/openai.md',
      '<a href="../README.md">home</a>',
      '```md',
      '[inside](code.md)',
      '```',
    ].join('\n');
    expect(extractLinks(markdown)).toEqual([
      { line: 1, target: 'error-handling.md#the-code-table' },
      { line: 1, target: 'img/a.png' },
      { line: 3, target: './providers/openai.md' },
      { line: 4, target: '../README.md' },
    ]);
  });
});

describe('listDocFiles', () => {
  it('covers the root README, docs/ and the package and example READMEs, and never the generated docs/api/', () => {
    const files = listDocFiles();
    expect(files).toContain('README.md');
    expect(files).toContain('docs/getting-started.md');
    expect(files).toContain('packages/core/README.md');
    expect(files.some((file) => file.startsWith('examples/'))).toBe(true);
    expect(files.some((file) => file.startsWith('docs/api/'))).toBe(false);
  });
});

describe('linkProblem', () => {
  // Real files of this repository: docs/error-handling.md has a heading "## The code table".
  it('accepts an existing file, a heading anchor in it, a directory, and external links', () => {
    expect(linkProblem('docs/troubleshooting.md', 'error-handling.md#the-code-table')).toBeNull();
    expect(linkProblem('docs/troubleshooting.md', '#error-codes')).toBeNull();
    expect(linkProblem('docs/README.md', '../packages/core')).toBeNull();
    expect(linkProblem('docs/README.md', 'https://example.com/not-fetched')).toBeNull();
  });

  it('names a missing file, a missing anchor and a link out of the repository', () => {
    expect(linkProblem('docs/README.md', 'no-such-page.md')).toBe('docs/no-such-page.md does not exist');
    expect(linkProblem('docs/README.md', 'error-handling.md#no-such-heading')).toBe('#no-such-heading is not a heading of docs/error-handling.md');
    expect(linkProblem('docs/README.md', '#no-such-heading')).toBe('#no-such-heading is not a heading of docs/README.md');
    expect(linkProblem('docs/README.md', '../../outside.md')).toMatch(/^points outside the repository/);
  });

  it('checks the anchor of a directory link against its README', () => {
    expect(linkProblem('README.md', 'packages/keymanager#no-such-heading')).toBe('#no-such-heading is not a heading of packages/keymanager/README.md');
  });
});
