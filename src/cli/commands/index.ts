import type { Command } from 'commander';
import type { CliContext } from '../shared.js';
import { registerBlastRadius } from './blast-radius.js';
import { registerContainment } from './containment.js';
import { registerDemo } from './demo.js';
import { registerEstate } from './estate.js';
import { registerFindings } from './findings.js';
import { registerFormats } from './formats.js';
import { registerImport } from './import.js';
import { registerMark } from './mark.js';
import { registerNode } from './node.js';
import { registerPaths } from './paths.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';

/** Every command, in the order `blastmap --help` lists them. One file per command. */
export const COMMANDS: readonly ((program: Command, cx: CliContext) => void)[] = [
  registerImport,
  registerDemo,
  registerFormats,
  registerSearch,
  registerNode,
  registerMark,
  registerBlastRadius,
  registerPaths,
  registerContainment,
  registerFindings,
  registerServe,
  registerEstate,
];
