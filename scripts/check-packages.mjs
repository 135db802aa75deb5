// Checks every publishable package the way `changeset publish` ships it, after the build:
// 1. `pnpm pack` makes the tarball (workspace: ranges replaced by real ones), and on that tarball:
//    publint (package.json, exports map, files), arethetypeswrong (types for node10, node16 CJS and ESM, bundlers),
//    and our own rules: repository/homepage/bugs present, no workspace: range left, README links that still work
//    outside the repository (absolute; one into this repository names a file and heading that exist), and Node
//    built-ins imported with their `node:` prefix.
// 2. Every tarball is installed into a scratch npm project (plain `npm install`, the registry through npm's cache for
//    zod, ky, …), and the machine's own Node (20 here) loads every entry point through import and require and makes
//    one streaming call through a key pool against a @kit/testkit loopback upstream.
// Fails on any problem. `--keep` leaves the scratch directory for inspection.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { tarballProblems } from './package-tarball-rules.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const bin = (name) => (existsSync(join(root, 'node_modules', '.bin', name)) ? join(root, 'node_modules', '.bin', name) : name);
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const problems = [];
const report = (pkgName, message) => problems.push(`${pkgName}: ${message}`);

/** The first `node` on PATH that is not a node_modules/.bin shim: the machine's own Node, not pnpm's pinned one. */
function machineNode() {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory === '' || directory.includes('node_modules')) continue;
    const candidate = join(directory, process.platform === 'win32' ? 'node.exe' : 'node');
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return process.execPath;
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function eachLimited(items, limit, task) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      while (queue.length > 0) await task(queue.shift());
    }),
  );
}

const scratch = mkdtempSync(join(tmpdir(), 'kit-packages-'));
const packages = readdirSync(join(root, 'packages'))
  .map((directoryName) => ({ directoryName, dir: join(root, 'packages', directoryName) }))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .map((entry) => ({ ...entry, pkg: JSON.parse(readFileSync(join(entry.dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

const tarballs = [];
const packStarted = Date.now();
await eachLimited(packages, Math.max(2, availableParallelism()), async ({ directoryName, dir, pkg }) => {
  const destination = join(scratch, 'tarballs', directoryName);
  mkdirSync(destination, { recursive: true });
  try {
    await run(bin('pnpm'), ['pack', '--pack-destination', destination], { cwd: dir });
  } catch (error) {
    report(pkg.name, `pnpm pack failed\n${error.stderr ?? error.message}`);
    return;
  }
  const tarball = join(
    destination,
    readdirSync(destination).find((file) => file.endsWith('.tgz')),
  );
  tarballs.push(tarball);
  const unpacked = join(scratch, 'unpacked', directoryName);
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
  for (const problem of tarballProblems(unpacked, directoryName)) report(pkg.name, problem);

  const buffer = readFileSync(tarball);
  const linted = await publint({
    pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) },
    level: 'warning',
    strict: true,
  });
  for (const message of linted.messages) report(pkg.name, `publint [${message.type}] ${formatMessage(message, linted.pkg) ?? message.code}`);
  try {
    await run(bin('attw'), [tarball, '--format', 'ascii']);
  } catch (error) {
    report(pkg.name, `arethetypeswrong\n${error.stdout ?? error.message}`);
  }
});
console.log(
  `packages: ${tarballs.length} tarballs packed and checked (publint, arethetypeswrong, metadata, README links, node: imports) in ${seconds(packStarted)}`,
);

const node = machineNode();
if (tarballs.length === packages.length) {
  const project = join(scratch, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'kit-tarball-consumer', private: true, type: 'module' }, null, 2)}\n`);
  const installStarted = Date.now();
  try {
    // --prefer-offline: registry metadata already in npm's cache is not revalidated, so a warm run needs no network.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.sort()], { cwd: project });
    console.log(`packages: the ${tarballs.length} tarballs installed into a scratch npm project in ${seconds(installStarted)}`);
    for (const script of ['load-entries.mjs', 'one-call.mjs']) {
      writeFileSync(join(project, script), readFileSync(join(root, 'scripts', 'tarball-consumer', script)));
      try {
        const { stdout } = await run(node, [script], { cwd: project, timeout: 60_000 });
        process.stdout.write(`packages: ${stdout}`);
      } catch (error) {
        problems.push(`scratch project, ${script} on ${node}:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
      }
    }
  } catch (error) {
    problems.push(`npm install of the tarballs failed:\n${error.stderr ?? error.message}`);
  }
}

if (process.argv.includes('--keep')) console.log(`packages: scratch directory kept at ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
for (const problem of problems) console.error(problem);
console.log(
  problems.length === 0
    ? `packages: no problem (${packages.length} packages, ${seconds(started)})`
    : `packages: ${problems.length} problem(s) (${seconds(started)})`,
);
process.exit(problems.length === 0 ? 0 : 1);
