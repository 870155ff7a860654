// Types of what esbuild.config.mjs exports, for the tests that bundle as the build does.
import type { BuildOptions } from 'esbuild';

export declare const external: string[];
export declare const nodeBundle: BuildOptions;
