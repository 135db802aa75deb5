// Type-checks every ```ts block of the documentation (the root README, docs/, package and example READMEs) against
// the BUILT packages: each block becomes a module in .doc-snippets/run-<pid>/ (gitignored) whose node_modules links
// every workspace package by its name (`@kit/core` → packages/core, an example's package → examples/<dir>), so imports
// resolve through each package's `exports` map to its dist .d.ts, exactly as they do for a user. Run after
// `turbo run build`.
//
// A block that is deliberately partial (a fragment, a settings excerpt) is skipped by a visible rule, never silently:
//   ```ts partial                          the block is a fragment
//   <!-- snippet: skip <reason> -->        on the line above the fence
// Skipped blocks are listed with their reason. Every other block must compile on its own (strict TypeScript, ESM,
// top-level await allowed): declare what it assumes (`declare const keys: KeyManager;`) rather than skip it.
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { listDocFiles, repoRoot, scanMarkdown } from './doc-markdown.mjs';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const typeScriptLanguages = new Set(['ts', 'typescript', 'mts']);
// One directory per run, so that two runs at once (a watcher and a manual run) never delete each other's files.
const workDirectory = join(repoRoot, '.doc-snippets', `run-${process.pid}`);
const keep = process.argv.includes('--keep');

/** Links every workspace package (packages/*, examples/*) into the run's node_modules under its package name. */
function linkWorkspacePackages() {
  for (const parent of ['packages', 'examples']) {
    const parentDirectory = join(repoRoot, parent);
    for (const directory of readdirSync(parentDirectory)) {
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(parentDirectory, directory, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (typeof manifest.name !== 'string') continue;
      const link = join(workDirectory, 'node_modules', manifest.name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(relative(dirname(link), join(parentDirectory, directory)), link, 'dir');
    }
  }
}

function collectSnippets() {
  const snippets = [];
  const skipped = [];
  for (const file of listDocFiles()) {
    const { blocks } = scanMarkdown(readFileSync(join(repoRoot, file), 'utf8'));
    for (const block of blocks) {
      if (!typeScriptLanguages.has(block.language)) continue;
      const location = `${file}:${block.line}`;
      if (block.flags.includes('partial')) skipped.push({ location, reason: 'marked `ts partial`' });
      else if (block.skipReason !== null) skipped.push({ location, reason: block.skipReason });
      else snippets.push({ file, line: block.line, code: block.code });
    }
  }
  return { snippets, skipped };
}

const compilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  typeRoots: [join(repoRoot, 'node_modules', '@types')],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  moduleDetection: ts.ModuleDetectionKind.Force,
};

rmSync(workDirectory, { recursive: true, force: true });
mkdirSync(workDirectory, { recursive: true });
linkWorkspacePackages();
const { snippets, skipped } = collectSnippets();
const byPath = new Map();
for (const [index, snippet] of snippets.entries()) {
  const name = `${String(index).padStart(3, '0')}-${snippet.file.replace(/[^a-zA-Z0-9]+/g, '-')}-${snippet.line}.ts`;
  const path = join(workDirectory, name);
  writeFileSync(path, `${snippet.code}\n`);
  byPath.set(path, snippet);
}

const program = ts.createProgram([...byPath.keys()], compilerOptions);
const diagnostics = ts.getPreEmitDiagnostics(program);
let errors = 0;
for (const diagnostic of diagnostics) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const snippet = diagnostic.file ? byPath.get(diagnostic.file.fileName) : undefined;
  errors += 1;
  if (!snippet || diagnostic.start === undefined) {
    console.error(`${diagnostic.file?.fileName ?? 'TypeScript'}: TS${diagnostic.code} ${message}`);
    continue;
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  // The block's first code line is the line after its opening fence.
  console.error(`${snippet.file}:${snippet.line + 1 + line}:${character + 1} TS${diagnostic.code} ${message}`);
}

for (const { location, reason } of skipped) console.log(`skipped ${location}: ${reason}`);
console.log(
  `doc snippets: ${snippets.length} type-checked against the built packages, ${skipped.length} skipped (listed above), ${errors} error${errors === 1 ? '' : 's'}`,
);
if (!keep) rmSync(workDirectory, { recursive: true, force: true });
process.exit(errors === 0 ? 0 : 1);
