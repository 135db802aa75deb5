// Types of doc-markdown.mjs, for the tests in tests/docs/.

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  language: string;
  flags: string[];
  line: number;
  code: string;
  skipReason: string | null;
}

export declare const repoRoot: string;
export declare function listDocFiles(): string[];
export declare function scanMarkdown(markdown: string): { blocks: CodeBlock[]; prose: { line: number; text: string }[] };
export declare function githubSlug(headingText: string): string;
export declare function headingAnchors(markdown: string): Set<string>;
export declare function extractLinks(markdown: string): { line: number; target: string }[];
export declare function linkProblem(file: string, target: string): string | null;
