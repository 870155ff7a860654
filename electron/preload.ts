// The sandboxed preload: exposes window.blastmap (RendererBridge) and nothing else. It is bundled to CommonJS
// (sandboxed preloads cannot be ES modules) and may require only 'electron'. The renderer never sees ipcRenderer:
// it gets one function per API method, built in a loop over API_METHODS, and the shell services.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiErrorShape, BlastmapApi, RendererBridge, ShellCommand, ShellServices } from '../src/api/contract.js';
import { API_METHODS } from '../src/api/contract.js';
import { apiChannel, SHELL_CHANNELS } from './channels.js';
import type { IpcReply } from './ipc.js';

/**
 * A failed call rejects with the plain ApiErrorShape ({ code, message, file?, location?, candidates? }): the context
 * bridge would strip an Error object down to its message.
 */
async function invoke(channel: string, arg: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, arg)) as IpcReply<unknown>;
  if (reply.ok) return reply.value;
  const error: ApiErrorShape = reply.error;
  return Promise.reject(error);
}

export function buildBridge(): RendererBridge {
  const api = Object.fromEntries(API_METHODS.map((method) => [method, (arg: unknown) => invoke(apiChannel(method), arg ?? {})])) as unknown as BlastmapApi;
  const shell: ShellServices = {
    mode: 'electron',
    pickImportFiles: (arg) => invoke(SHELL_CHANNELS.pickImportFiles, arg ?? {}) as ReturnType<ShellServices['pickImportFiles']>,
    pathOfDroppedFile: (file) => {
      // Only a File the user dropped or picked has a path; the main process accepts imports of such paths only.
      const path = webUtils.getPathForFile(file);
      if (!path) return null;
      ipcRenderer.send(SHELL_CHANNELS.grantDroppedPath, path);
      return path;
    },
    openCase: (arg) => invoke(SHELL_CHANNELS.openCase, arg) as ReturnType<ShellServices['openCase']>,
    recentCases: (arg) => invoke(SHELL_CHANNELS.recentCases, arg ?? {}) as ReturnType<ShellServices['recentCases']>,
    pickCaseFile: (arg) => invoke(SHELL_CHANNELS.pickCaseFile, arg ?? {}) as ReturnType<NonNullable<ShellServices['pickCaseFile']>>,
    unlockCase: (arg) => invoke(SHELL_CHANNELS.unlockCase, arg) as ReturnType<ShellServices['unlockCase']>,
    onCommand: (listener) => {
      const wrapped = (_event: IpcRendererEvent, command: ShellCommand) => listener(command);
      ipcRenderer.on(SHELL_CHANNELS.command, wrapped);
      return () => {
        ipcRenderer.removeListener(SHELL_CHANNELS.command, wrapped);
      };
    },
  };
  return { api, shell };
}

contextBridge.exposeInMainWorld('blastmap', buildBridge());
