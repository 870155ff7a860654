// Electron entry (package.json "main" → dist/electron/main.js). All of the app is in app.ts.
import { app, dialog } from 'electron';
import { startApp } from './app.js';

startApp().catch((err: unknown) => {
  dialog.showErrorBox('Blastmap could not start', (err as Error)?.message ?? String(err));
  app.exit(1);
});
