// Preload (node --import): a SIGKILL at one instant of the code under test, once `globalThis.armKill()` is called.
// LGG_TEST_KILL=rename:N dies right after the Nth renameSync; write:N writes half of the Nth writeFileSync, then dies.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [what, nth] = (process.env.LGG_TEST_KILL ?? '').split(':');
let armed = false;
let count = 0;
globalThis.armKill = () => (armed = true);
const due = () => armed && ++count === Number(nth);
const die = () => process.kill(process.pid, 'SIGKILL');

if (what === 'rename') {
  const rename = fs.renameSync;
  fs.renameSync = function (from, to) {
    rename.call(this, from, to);
    if (due()) die();
  };
}
if (what === 'write') {
  const write = fs.writeFileSync;
  fs.writeFileSync = function (path, data, ...rest) {
    if (!due()) return write.call(this, path, data, ...rest);
    write.call(this, path, typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
    die();
  };
}
syncBuiltinESMExports();
