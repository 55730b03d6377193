// Prints what Dawn (npm `webgpu`, carried in .gpu-bench) offers here: the adapter's info and whether it is a
// fallback (software) one. usage: node bench/gpu/probe.mjs DIR_WITH_node_modules [dawn flags, e.g. backend=vulkan]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const [dir, ...flags] = process.argv.slice(2);
const { create } = await import(pathToFileURL(path.join(dir, 'node_modules/webgpu/index.js')).href);
const gpu = create(flags.length ? flags : (process.env.LGG_DAWN_FLAGS ?? '').split(',').filter(Boolean));
for (const powerPreference of ['high-performance', 'low-power']) {
  const featureLevel = /opengl/.test(flags.join(',') + (process.env.LGG_DAWN_FLAGS ?? '')) ? 'compatibility' : 'core';
  const a = await gpu.requestAdapter({ powerPreference, featureLevel }).catch((e) => `error: ${e.message}`);
  const info = a && typeof a === 'object' ? a.info ?? {} : {};
  console.log(`dawn adapter (${powerPreference}, flags [${flags.join(' ')}]): ` + (a && typeof a === 'object'
    ? `vendor=${info.vendor} architecture=${info.architecture} device=${info.device} description=${info.description} fallback=${a.isFallbackAdapter ?? info.isFallbackAdapter}`
    : String(a)));
}
process.exit(0);
