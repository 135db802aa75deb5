// Types of package-tarball-rules.mjs, for tests/packaging/.

export declare const repositoryUrl: string;
export declare function readmeProblems(readme: string): string[];
export declare function bareBuiltinImports(code: string, dependencies?: Record<string, string>): string[];
export declare function manifestProblems(pkg: Record<string, unknown>, directoryName: string): string[];
export declare function tarballProblems(unpacked: string, directoryName: string): string[];
