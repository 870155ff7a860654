import type { Command } from 'commander';
import type { CliContext } from '../shared.js';
import { registerBlastRadius } from './blast-radius.js';
import { registerContainment } from './containment.js';
import { registerDemo } from './demo.js';
import { registerEstate } from './estate.js';
import { registerDiff } from './diff.js';
import { registerFindings } from './findings.js';
import { registerFormats } from './formats.js';
import { registerImport } from './import.js';
import { registerMark } from './mark.js';
import { registerNode } from './node.js';
import { registerPaths } from './paths.js';
import { registerPlanImpact } from './plan-impact.js';
import { registerReachers } from './reachers.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerSnapshot } from './snapshot.js';
import { registerExport } from './export.js';
import { registerInventory } from './inventory.js';
import { registerTriage } from './triage.js';
import { registerReport } from './report.js';
import { registerPack } from './pack.js';

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
  registerReachers,
  registerFindings,
  registerServe,
  registerEstate,
  registerDiff,
  registerPlanImpact,
  registerSnapshot,
  registerInventory,
  registerTriage,
  registerExport,
  registerReport,
  registerPack,
];
