// The page's entry: a small script that asks the engine for the first screen's data at once, then loads the app
// (React, Cytoscape, the panels: most of the bundle), so the engine answers while the browser parses the app.
import { getBridge } from './bridge';
import { primeBridge } from './bridge/prime';
import { FIRST_SCREEN_CALLS } from './store/first-screen';
import './styles.css';

const bridge = primeBridge(getBridge(), FIRST_SCREEN_CALLS);
void import('./boot').then((m) => m.boot(bridge));
