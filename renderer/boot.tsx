// The app proper, loaded by main.tsx once it has asked for the first screen's data.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { RendererBridge } from './contract';
import { AppStoreContext, createAppStore } from './store';

export function boot(bridge: RendererBridge): void {
  const store = createAppStore(bridge);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppStoreContext.Provider value={store}>
        <App />
      </AppStoreContext.Provider>
    </StrictMode>,
  );
}
