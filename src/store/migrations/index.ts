import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-graph-snapshot.js';
import { migration0003 } from './0003-shared-evidence.js';
import { migration0010 } from './0010-source-meta-scanner-results.js';
import { migration0011 } from './0011-state-snapshots.js';
import { migration0012 } from './0012-integer-edges.js';
import { migration0013 } from './0013-workspace.js';
import { migration0014 } from './0014-finding-remediations.js';
import { migration0015 } from './0015-finding-forms.js';
import { migration0016 } from './0016-evidence-cites.js';
import { migration0017 } from './0017-findings-id-index.js';
import { migration0018 } from './0018-node-id-indexes.js';
import type { Migration } from './types.js';

/** In version order. A new schema step is a new file here; shipped migrations are never edited. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017, migration0018];
export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!.version;
