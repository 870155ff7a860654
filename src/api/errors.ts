import type { ApiErrorShape, NodeSummary } from './contract.js';

/** The one error type the API throws; it crosses IPC and HTTP as its plain shape. */
export class ApiError extends Error implements ApiErrorShape {
  readonly code: ApiErrorShape['code'];
  readonly file?: string;
  readonly location?: string;
  readonly candidates?: NodeSummary[];

  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    if (shape.file !== undefined) this.file = shape.file;
    if (shape.location !== undefined) this.location = shape.location;
    if (shape.candidates !== undefined) this.candidates = shape.candidates;
  }

  toJSON(): ApiErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.file !== undefined ? { file: this.file } : {}),
      ...(this.location !== undefined ? { location: this.location } : {}),
      ...(this.candidates !== undefined ? { candidates: this.candidates } : {}),
    };
  }
}

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorShape).code === 'string' && typeof (value as ApiErrorShape).message === 'string';
}
