import type { ImportFile } from '../contract';

/** Base64 of bytes without building one huge intermediate string per byte (exports can be hundreds of MB). */
export function bytesToBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Files for the API: their path in Electron, their content in browser mode. */
export async function toImportFiles(files: File[], pathOf: (f: File) => string | null): Promise<ImportFile[]> {
  const out: ImportFile[] = [];
  for (const f of files) {
    const path = pathOf(f);
    if (path) out.push({ path });
    else out.push({ name: f.name, contentBase64: bytesToBase64(new Uint8Array(await f.arrayBuffer())) });
  }
  return out;
}
