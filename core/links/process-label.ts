// How a process is named where links meet people (the flows view, the link-aware findings): its
// image's base name, or for an interpreter the script it runs ("python3 mb.py"), since an HMI
// runtime and an intruder's tool are often the same python3.
import type { ProcessNode } from '../model/process.ts';

const INTERPRETERS = /^(python[\d.]*|perl|ruby|node|java|php[\d.]*|lua[\d.]*)$/;

export const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** "python3 hmi.py", "curl", or null when the process tree knows no image. */
export function processLabel(node: Pick<ProcessNode, 'image' | 'command_line'> | undefined): string | null {
  const image = node?.image ? baseName(node.image) : null;
  if (image && INTERPRETERS.test(image) && node?.command_line) {
    const script = node.command_line.split(/\s+/).slice(1).find((a) => a !== '' && !a.startsWith('-'));
    if (script) return `${image} ${baseName(script)}`;
  }
  return image;
}
