// Checks every relative link of the documentation (the root README, docs/, package and example READMEs): the file or
// directory it points to exists, and its #anchor is a heading of the target (GitHub's slug rules) or an
// `<a id>`/`<a name>` in it. External links (http:, https:, mailto:) are not fetched. Fails on any broken link.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractLinks, linkProblem, listDocFiles, repoRoot } from './doc-markdown.mjs';

let checked = 0;
const broken = [];
const files = listDocFiles();
for (const file of files) {
  for (const { line, target } of extractLinks(readFileSync(join(repoRoot, file), 'utf8'))) {
    checked += 1;
    const problem = linkProblem(file, target);
    if (problem !== null) broken.push(`${file}:${line}: ${target} — ${problem}`);
  }
}
for (const entry of broken) console.error(entry);
console.log(`doc links: ${checked} links in ${files.length} files, ${broken.length} broken`);
process.exit(broken.length === 0 ? 0 : 1);
