import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelsWithShutdownDate } from './dated-model-tables';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The text a user reads for guidance: docs/, every README, and the examples (their sources, READMEs and configs). */
function userFacingFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string, accept: (name: string) => boolean) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, accept);
      else if (accept(name)) files.push(path);
    }
  };
  walk(join(root, 'docs'), (name) => name.endsWith('.md'));
  walk(join(root, 'examples'), (name) => /\.(md|ts|tsx|mjs|js|json)$/.test(name) && name !== 'package.json');
  files.push(join(root, 'README.md'));
  for (const name of readdirSync(join(root, 'packages'))) {
    const readme = join(root, 'packages', name, 'README.md');
    try {
      statSync(readme);
      files.push(readme);
    } catch {
      // a package without a README
    }
  }
  return files;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * The id on its own, after a path (`models/…`, `openai/…`) or as a dated snapshot of it: not part of a longer id
 * (`gpt-5` in `gpt-5.5` or `gpt-5-codex`).
 */
const mentionOf = (id: string) => new RegExp(`(?<![\\w.-])${escapeRegExp(id)}(?:-(?:\\d{4}-\\d{2}-\\d{2}|\\d{8}))?(?![\\w-]|\\.\\d)`);
/** A line that says the model is retired is not a suggestion to use it. */
const statesRetirement = /shut ?down|retire|deprecat|sunset|no longer/i;

/** Every line of user-facing text that names a model with a shutdown date without saying so. */
function suggestionsOfRetiredModels(files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (statesRetirement.test(line)) return;
        for (const [id, provider, date] of modelsWithShutdownDate)
          if (mentionOf(id).test(line)) found.push(`${relative(root, file)}:${index + 1} suggests ${id} (${provider}, shutdown ${date})`);
      });
  }
  return found;
}

describe('docs, READMEs and examples', () => {
  it('never suggest a model with a shutdown date', () => {
    const files = userFacingFiles();
    expect(files.length).toBeGreaterThan(20);
    expect(suggestionsOfRetiredModels(files)).toEqual([]);
  });

  it('the scan sees a mention, a snapshot of it, and not a longer id nor a line stating the retirement', () => {
    expect(mentionOf('gpt-5').test("model: 'gpt-5'")).toBe(true);
    expect(mentionOf('gpt-4.1-mini').test('use gpt-4.1-mini-2025-04-14 here')).toBe(true);
    expect(mentionOf('gpt-5').test("model: 'gpt-5.5'")).toBe(false);
    expect(mentionOf('gpt-5').test('gpt-5-codex')).toBe(false);
    expect(mentionOf('o3').test('o3-mini')).toBe(false);
    expect(mentionOf('gemini-2.5-flash').test('`models/gemini-2.5-flash`')).toBe(true);
    expect(statesRetirement.test('`gpt-4.1-mini` (shutdown 2027-01-14) was the default')).toBe(true);
  });
});
