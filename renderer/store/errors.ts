import type { ApiErrorShape } from '../contract';

/** Any thrown value as an API error shape (bridge errors carry one; anything else becomes 'internal'). */
export function toErrorShape(err: unknown): ApiErrorShape {
  if (typeof err === 'object' && err !== null) {
    const shape = (err as { shape?: unknown }).shape;
    if (typeof shape === 'object' && shape !== null && typeof (shape as { message?: unknown }).message === 'string') return shape as ApiErrorShape;
    // Electron IPC rejects with the shape itself.
    const e = err as { code?: unknown; message?: unknown };
    if (typeof e.message === 'string' && typeof e.code === 'string') return err as ApiErrorShape;
    if (err instanceof Error) return { code: 'internal', message: err.message };
  }
  return { code: 'internal', message: String(err) };
}

/** One line for people: the message with the file and place when the engine gave them. */
export function describeError(e: ApiErrorShape): string {
  const where = [e.file, e.location].filter(Boolean).join(', ');
  return where ? `${e.message} (${where})` : e.message;
}
