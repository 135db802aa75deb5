// What the documentation checks (check-doc-snippets.mjs, check-doc-links.mjs) read from Markdown: the files that
// make up the docs, their fenced code blocks, their links and the anchors GitHub gives their headings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The repository root (this file lives in scripts/). */
export const repoRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

const generatedDirectories = new Set(['api', 'node_modules']);

function markdownFilesUnder(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return generatedDirectories.has(entry.name) ? [] : markdownFilesUnder(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

function readmesOf(parent) {
  const directory = join(repoRoot, parent);
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(directory, entry.name, 'README.md'))
    .filter((path) => existsSync(path));
}

/**
 * The documentation: the root README, docs/**\/*.md (not the generated docs/api/), and the README of every package
 * and example. Paths are relative to the repository root, sorted.
 */
export function listDocFiles() {
  const files = [join(repoRoot, 'README.md'), ...markdownFilesUnder(join(repoRoot, 'docs')), ...readmesOf('packages'), ...readmesOf('examples')];
  return files
    .filter((path) => existsSync(path))
    .map((path) => relative(repoRoot, path))
    .sort();
}

const fenceOpening = /^(\s*)(`{3,}|~{3,})(.*)$/;
const skipMarker = /^<!--\s*snippet:\s*skip\b\s*(.*?)\s*-->$/;

/**
 * Splits Markdown into fenced code blocks and the prose around them. Each block has its language (`ts`), the words
 * after it (`partial`), the 1-based line of its opening fence, its code (indentation of the fence removed) and the
 * reason of a `<!-- snippet: skip reason -->` comment on the line just above the fence, if any. Prose lines keep
 * their 1-based line numbers.
 */
export function scanMarkdown(markdown) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  const prose = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const opening = fenceOpening.exec(line);
    if (!opening || (opening[2][0] === '`' && opening[3].includes('`'))) {
      prose.push({ line: index + 1, text: line });
      continue;
    }
    const [, leading, fence, info] = opening;
    const indentation = leading.length;
    const [language = '', ...flags] = info.trim().split(/\s+/).filter(Boolean);
    const previous = lines
      .slice(0, index)
      .reverse()
      .find((candidate) => candidate.trim() !== '');
    const marker = previous === undefined ? null : skipMarker.exec(previous.trim());
    const code = [];
    let closing = index + 1;
    const closingFence = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (closing < lines.length && !closingFence.test(lines[closing])) {
      const content = lines[closing];
      const removable = Math.min(indentation, content.length - content.trimStart().length);
      code.push(content.slice(removable));
      closing += 1;
    }
    blocks.push({
      language: language.toLowerCase(),
      flags,
      line: index + 1,
      code: code.join('\n'),
      skipReason: marker ? marker[1] || 'no reason given' : null,
    });
    index = closing;
  }
  return { blocks, prose };
}

/**
 * The anchor GitHub gives a heading: lower case, every character that is not a letter, a digit, a space, `-` or `_`
 * dropped, each space turned into `-` (so `Errors — what to do` becomes `errors--what-to-do`).
 */
export function githubSlug(headingText) {
  return headingText
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The text a heading renders to: inline code, links, images, emphasis and HTML tags reduced to their text. */
function renderedHeadingText(source) {
  return source
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_](\S(?:.*?\S)?)[*_](?=[^\w*]|$)/g, '$1$2')
    .trim();
}

/**
 * Every anchor a Markdown file offers: one per heading (ATX `## Title` and setext `Title` + `---`), numbered
 * `-1`, `-2`, … when a slug repeats, plus `<a id="…">` / `<a name="…">` anchors.
 */
export function headingAnchors(markdown) {
  const { prose } = scanMarkdown(markdown);
  const anchors = new Set();
  const seen = new Map();
  const add = (text) => {
    const slug = githubSlug(renderedHeadingText(text));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  };
  prose.forEach(({ line, text }, index) => {
    for (const match of text.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
    const atx = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (atx) {
      add(atx[1]);
      return;
    }
    const next = prose[index + 1];
    const underline = next !== undefined && next.line === line + 1 && /^ {0,3}(=+|-+)\s*$/.test(next.text);
    if (underline && text.trim() !== '' && !/^ {0,3}([-*+]\s|>|\|)/.test(text)) add(text.trim());
  });
  return anchors;
}

/**
 * The links of a Markdown file outside code (fenced blocks and inline code spans): inline `[text](target)` and
 * `![alt](target)`, reference definitions `[id]: target`, and HTML `href`/`src` attributes, with 1-based lines.
 */
export function extractLinks(markdown) {
  const links = [];
  for (const { line, text } of scanMarkdown(markdown).prose) {
    const withoutCode = text.replace(/(`+)(?:(?!\1).)+?\1/g, (span) => ' '.repeat(span.length));
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line, target: match[1] });
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(withoutCode);
    if (definition) links.push({ line, target: definition[1] });
    for (const match of withoutCode.matchAll(/\s(?:href|src)="([^"]+)"/g)) links.push({ line, target: match[1] });
  }
  return links;
}

const anchorsByFile = new Map();
function anchorsOf(path) {
  if (!anchorsByFile.has(path)) anchorsByFile.set(path, headingAnchors(readFileSync(path, 'utf8')));
  return anchorsByFile.get(path);
}

/**
 * Why the link `target` of the Markdown file `file` (relative to the repository root) is broken, or null when it
 * resolves: the file or directory exists, and its #anchor is a heading (or `<a id>`) of the target Markdown file (a
 * directory's README.md). External links (`https:`, `mailto:`, …) are not checked.
 */
export function linkProblem(file, target) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return null;
  const hashAt = target.indexOf('#');
  const pathPart = decodeURIComponent(hashAt === -1 ? target : target.slice(0, hashAt)).replace(/\?.*$/, '');
  const anchor = hashAt === -1 ? null : decodeURIComponent(target.slice(hashAt + 1));
  const source = join(repoRoot, file);
  let resolved = source;
  if (pathPart !== '') resolved = pathPart.startsWith('/') ? join(repoRoot, pathPart) : join(dirname(source), pathPart);
  if (!resolved.startsWith(repoRoot)) return `points outside the repository (${relative(repoRoot, resolved)})`;
  if (!existsSync(resolved)) return `${relative(repoRoot, resolved) || '.'} does not exist`;
  if (anchor === null || anchor === '') return null;
  const markdown = statSync(resolved).isDirectory() ? join(resolved, 'README.md') : resolved;
  if (!markdown.endsWith('.md') || !existsSync(markdown)) return null;
  if (anchorsOf(markdown).has(anchor)) return null;
  return `#${anchor} is not a heading of ${relative(repoRoot, markdown)}`;
}
