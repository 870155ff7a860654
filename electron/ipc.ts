// The engine API over IPC: one handler per method of API_METHODS, registered in a loop, so a method added to the
// contract is wired here without a line of code. Every call is checked in the same order: the sender is the top
// frame of one of our windows showing our own page; the argument passes the method's zod schema; an import by path
// names only files the user picked or dropped. Results and errors cross as a plain envelope, because Electron
// keeps only the message of a thrown error.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { ApiErrorShape, BlastmapApi, CaseInfo, ImportFile } from '../src/api/contract.js';
import { API_METHODS } from '../src/api/contract.js';
import { ApiError, isApiErrorShape } from '../src/api/errors.js';
import { validateArg } from '../src/api/validate.js';
import { apiChannel, isAppUrl, SHELL_CHANNELS } from './channels.js';

export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** What the checks read from an IPC event (tests build these by hand). */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

/**
 * Trusted: the main frame (not an iframe) of a webContents we created, currently showing app://blastmap/.
 * senderFrame is null once the frame navigated away or died: such a message is refused too.
 */
export function isTrustedSender(event: SenderEvent, isOurContents: (webContentsId: number) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!isAppUrl(frame.url)) return false;
  return isOurContents(event.sender.id);
}

export function toErrorShape(err: unknown): ApiErrorShape {
  if (err instanceof ApiError) return err.toJSON();
  if (isApiErrorShape(err)) return { code: err.code, message: err.message };
  return { code: 'internal', message: (err as Error)?.message ?? String(err) };
}

const refused = (what: string) => new ApiError({ code: 'bad-input', message: `refused: ${what} was called from a frame that is not Blastmap's own page` });

export interface ApiHandlerOptions {
  /** The engine of the open case (it changes when another case is opened). */
  api: () => BlastmapApi;
  trusted: (event: SenderEvent) => boolean;
  /** Whether the user picked or dropped this path in this window. */
  pathAllowed: (event: SenderEvent, path: string) => boolean;
}

/** Registers a handler for every API method; returns the channels registered. */
export function registerApiHandlers(ipc: Pick<IpcMain, 'handle'>, options: ApiHandlerOptions): string[] {
  return API_METHODS.map((method) => {
    const channel = apiChannel(method);
    ipc.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown): Promise<IpcReply<unknown>> => {
      try {
        if (!options.trusted(event)) throw refused(method);
        const checked = validateArg(method, arg);
        if (method === 'importFiles' || method === 'planImpact') checkImportPaths((checked as { files: ImportFile[] }).files, (p) => options.pathAllowed(event, p));
        if (method === 'compareCase') checkImportPaths([(checked as { other: ImportFile }).other], (p) => options.pathAllowed(event, p));
        const value: unknown = await (options.api()[method] as (a: unknown) => Promise<unknown>)(checked);
        return { ok: true, value };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    });
    return channel;
  });
}

function checkImportPaths(files: ImportFile[], allowed: (path: string) => boolean): void {
  for (const f of files) {
    if ('path' in f && !allowed(f.path)) {
      throw new ApiError({ code: 'bad-input', message: `${f.path}: Blastmap imports only files you picked in the import dialog or dropped on the window` });
    }
  }
}

export interface ShellHandlers {
  pickImportFiles(event: SenderEvent): Promise<ImportFile[]>;
  openCase(event: SenderEvent, arg: { create: boolean }): Promise<CaseInfo | null>;
  recentCases(event: SenderEvent): Promise<string[]>;
  pickCaseFile(event: SenderEvent): Promise<ImportFile | null>;
  grantDroppedPath(event: SenderEvent, path: string): void;
  unlockCase(event: SenderEvent, arg: { passphrase: string }): Promise<CaseInfo | null>;
}

const SHELL_SCHEMAS = {
  pickImportFiles: z.object({}).strict(),
  openCase: z.object({ create: z.boolean() }).strict(),
  recentCases: z.object({}).strict(),
  pickCaseFile: z.object({}).strict(),
  unlockCase: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
} as const;

const droppedPath = z.string().min(1).max(4096).refine((p) => isAbsolute(p) && !p.includes('\0'), 'not an absolute path');

/** The shell services (dialogs, recent cases, dropped paths), with the same sender check and validation. */
export function registerShellHandlers(ipc: Pick<IpcMain, 'handle' | 'on'>, trusted: (event: SenderEvent) => boolean, handlers: ShellHandlers): void {
  const handle = <K extends keyof typeof SHELL_SCHEMAS>(name: K, run: (event: IpcMainInvokeEvent, arg: z.infer<(typeof SHELL_SCHEMAS)[K]>) => Promise<unknown>) => {
    ipc.handle(SHELL_CHANNELS[name], async (event: IpcMainInvokeEvent, arg: unknown): Promise<IpcReply<unknown>> => {
      try {
        if (!trusted(event)) throw refused(name);
        const parsed = SHELL_SCHEMAS[name].safeParse(arg ?? {});
        if (!parsed.success) throw new ApiError({ code: 'bad-input', message: `invalid argument to ${name}: ${parsed.error.issues[0]?.message ?? 'rejected'}` });
        return { ok: true, value: await run(event, parsed.data as z.infer<(typeof SHELL_SCHEMAS)[K]>) };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    });
  };
  handle('pickImportFiles', (event) => handlers.pickImportFiles(event));
  handle('openCase', (event, arg) => handlers.openCase(event, arg));
  handle('recentCases', (event) => handlers.recentCases(event));
  handle('pickCaseFile', (event) => handlers.pickCaseFile(event));
  handle('unlockCase', (event, arg) => handlers.unlockCase(event, arg));
  ipc.on(SHELL_CHANNELS.grantDroppedPath, (event: IpcMainEvent, path: unknown) => {
    if (!trusted(event)) return;
    const parsed = droppedPath.safeParse(path);
    if (parsed.success) handlers.grantDroppedPath(event, parsed.data);
  });
}
