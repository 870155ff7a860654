// The page's entry: a small script that asks the engine for the first screen's data at once, then loads the app
// (React, Cytoscape, the panels: most of the bundle), so the engine answers while the browser parses the app.
import { getBridge } from './bridge';
import { primeBridge } from './bridge/prime';
import { FIRST_SCREEN_CALLS } from './store/first-screen';
import './styles.css';

// The token leaves the address bar (and goes to sessionStorage) once the first requests are on their way.
const keep: (() => void)[] = [];
const bridge = primeBridge(
  getBridge((k) => keep.push(k)),
  FIRST_SCREEN_CALLS,
);
void import('./boot').then((m) => m.boot(bridge));
for (const k of keep) k();
