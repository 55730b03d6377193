// Builds the optional oneDNN addon. Never fails the install: prints why it skipped instead, and the
// training backend ladder repeats that reason at run time. Run through npm (`npm run build:native -w training`)
// so node-gyp is on PATH and gets --nodedir from npm's config (a bare node-gyp tries to download headers).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const skip = (why) => {
  console.log(`build:native skipped: ${why}`);
  process.exit(0);
};

if (process.platform !== 'linux' || process.arch !== 'x64') skip(`linux-x64 only (this is ${process.platform}-${process.arch})`);
if (!existsSync('/usr/include/oneapi/dnnl/dnnl.hpp')) skip('oneDNN headers missing: apt-get install -y libdnnl-dev');
if (spawnSync('g++', ['--version']).status !== 0) skip('no C++ compiler: apt-get install -y g++ make');

const nodedir = process.env.npm_config_nodedir || (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
const args = ['rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const result = spawnSync('node-gyp', args, { cwd: here, stdio: 'inherit' });
if (result.error) skip(`node-gyp not found (${result.error.message}); run this through npm`);
if (result.status !== 0) skip(`node-gyp exited with ${result.status}`);
console.log('build:native: built native/build/Release/lgg_dnnl.node');
