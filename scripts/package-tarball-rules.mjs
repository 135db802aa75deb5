// The rules check-packages.mjs applies to an unpacked tarball, beyond publint and arethetypeswrong: what npm shows
// (repository, homepage, bugs), what an install resolves (no workspace: range left), a README whose links still work
// outside the repository, and Node built-ins imported with their `node:` prefix.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { extractLinks, headingAnchors, linkProblem } from './doc-markdown.mjs';

/** The repository every package.json and absolute README link points to. */
export const repositoryUrl = 'https://github.com/kit-llm/kit';

const ownFileLink = new RegExp(`^${repositoryUrl.replace(/\./g, '\\.')}/(?:blob|tree)/main/([^?#]*)(#.*)?$`);

/**
 * Problems of a README as npm shows it: a relative link is dead there, an in-page `#anchor` must be a heading of the
 * README, and a link into this repository (`…/blob/main/<path>#anchor`) must name a file and heading that exist.
 */
export function readmeProblems(readme) {
  const found = [];
  const ownAnchors = headingAnchors(readme);
  for (const { line, target } of extractLinks(readme)) {
    if (target.startsWith('#')) {
      if (!ownAnchors.has(decodeURIComponent(target.slice(1)))) found.push(`README.md:${line}: ${target} is not a heading of the README`);
    } else if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      found.push(`README.md:${line}: relative link ${target} is dead in the tarball (link ${repositoryUrl}/blob/main/… instead)`);
    } else {
      const own = ownFileLink.exec(target);
      const problem = own && linkProblem('README.md', `/${own[1]}${own[2] ?? ''}`);
      if (problem) found.push(`README.md:${line}: ${target}: ${problem}`);
    }
  }
  return found;
}

const builtins = new Set(builtinModules.filter((name) => !name.startsWith('_')));
const moduleSpecifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;

/** Node built-ins that built code imports without the `node:` prefix (a dependency of the same name is allowed). */
export function bareBuiltinImports(code, dependencies = {}) {
  const bare = new Set();
  for (const [, , specifier] of code.matchAll(moduleSpecifier)) {
    const name = specifier.split('/')[0];
    if ((builtins.has(specifier) || builtins.has(name)) && !(name in dependencies)) bare.add(specifier);
  }
  return [...bare];
}

function filesUnder(directory, prefix = '') {
  return readdirSync(join(directory, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(directory, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** Problems of the package.json npm publishes for `packages/<directoryName>`. */
export function manifestProblems(pkg, directoryName) {
  const found = [];
  const { type, url, directory } = pkg.repository ?? {};
  if (type !== 'git' || url !== `git+${repositoryUrl}.git` || directory !== `packages/${directoryName}`) {
    found.push(`package.json: repository should be { type: 'git', url: 'git+${repositoryUrl}.git', directory: 'packages/${directoryName}' }`);
  }
  if (typeof pkg.homepage !== 'string' || !pkg.homepage.startsWith(`${repositoryUrl}/`))
    found.push(`package.json: homepage should point into ${repositoryUrl}`);
  if (pkg.bugs?.url !== `${repositoryUrl}/issues`) found.push(`package.json: bugs.url should be ${repositoryUrl}/issues`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:')) found.push(`package.json: ${field}.${name} is still ${range}`);
    }
  }
  return found;
}

/** Every problem of an unpacked tarball (`unpacked` holds its package.json) of `packages/<directoryName>`. */
export function tarballProblems(unpacked, directoryName) {
  const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  const found = manifestProblems(pkg, directoryName);
  if (existsSync(join(unpacked, 'README.md'))) found.push(...readmeProblems(readFileSync(join(unpacked, 'README.md'), 'utf8')));
  else found.push('README.md is not in the tarball');
  const dependencies = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
  for (const file of filesUnder(unpacked).filter((path) => /\.[cm]?js$/.test(path))) {
    const bare = bareBuiltinImports(readFileSync(join(unpacked, file), 'utf8'), dependencies);
    if (bare.length > 0) found.push(`${file} imports ${bare.map((name) => `'${name}'`).join(', ')} without the node: prefix`);
  }
  return found;
}
