export declare const CHROMIUM_NEEDED: string;
export declare function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
