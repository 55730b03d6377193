/**
 * The training workspace writes a model folder beside its old one and swaps them with renames (replace-folder.ts): a
 * kill between the two renames leaves `<model>.old` (the complete previous version) and perhaps `<model>.tmp-*`, and
 * the model's own folder missing. Vite copies public/ as it is, so such a build would ship half an export and miss a
 * model: the build refuses instead, naming what to do.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { isLeftoverName } from '../../training/src/export/atomic.ts';

/** Entries of the models folder (and of each model folder) that a killed export or training save left behind. */
export function modelLeftovers(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(modelsDir, { withFileTypes: true })) {
    if (isLeftoverName(entry.name)) found.push(entry.name);
    else if (entry.isDirectory()) for (const inner of readdirSync(join(modelsDir, entry.name))) if (isLeftoverName(inner)) found.push(`${entry.name}/${inner}`);
  }
  return found.sort();
}

export function refuseModelLeftovers(modelsDir = 'public/models'): Plugin {
  return {
    name: 'refuse-model-leftovers',
    apply: 'build',
    buildStart() {
      const found = modelLeftovers(modelsDir);
      if (found.length > 0)
        this.error(
          `${modelsDir} holds what an interrupted export left: ${found.join(', ')}. Run the export again (it cleans up), ` +
            `or, for <model>.old without <model>, rename it back to <model>.`,
        );
    },
  };
}
