// Window position and size, kept in userData/window-state.json and restored only onto a display that still exists.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeAtomic } from './recent.js';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_STATE: WindowState = { width: 1400, height: 900, maximized: false };
const MIN = { width: 640, height: 480 };

const schema = z.object({
  width: z.number().int().min(MIN.width).max(20_000),
  height: z.number().int().min(MIN.height).max(20_000),
  x: z.number().int().min(-50_000).max(50_000).optional(),
  y: z.number().int().min(-50_000).max(50_000).optional(),
  maximized: z.boolean(),
});

/** The saved state, or the default; a position off every display (a monitor was unplugged) is dropped. */
export function loadWindowState(file: string, displays: Rect[]): WindowState {
  let state: WindowState;
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return { ...DEFAULT_STATE };
    state = parsed.data;
  } catch {
    return { ...DEFAULT_STATE };
  }
  if (state.x === undefined || state.y === undefined) return { width: state.width, height: state.height, maximized: state.maximized };
  const visible = displays.some((d) => overlap(d, { x: state.x!, y: state.y!, width: state.width, height: state.height }) >= 100 * 100);
  return visible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}

export function saveWindowState(file: string, bounds: Rect, maximized: boolean): void {
  const state: WindowState = {
    width: Math.max(MIN.width, Math.round(bounds.width)),
    height: Math.max(MIN.height, Math.round(bounds.height)),
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    maximized,
  };
  writeAtomic(file, JSON.stringify(state));
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
