/**
 * `tf.variableGrads` with the memory of a backward pass that frees as it goes.
 *
 * tfjs 4.22's backward pass (tape.ts `backpropagateGradients`) keeps every intermediate gradient and every
 * tensor saved for the backward pass until the whole pass ends, so a training step peaks at about twice its
 * forward activations. That is what kept the ResUNet's batch 16 out of wasm's 4 GiB heap. Here each tape
 * node's gradient function is wrapped, once the forward pass has recorded the tape, so that when the backward
 * walk reaches a node it first frees what the node before it (in reverse order) no longer needs: the gradients
 * of that node's outputs and its saved tensors. Each tensor is the output of exactly one node and each saved
 * tensor belongs to one node, so nothing freed is read again. The arithmetic is tfjs' own, op for op: the
 * gradients are bit-identical to `tf.variableGrads` (training/test/train/frugal-gradients.test.ts).
 *
 * It relies on engine internals of tfjs-core 4.22 (`state.activeTape`, `TapeNode.gradient`/`saved`), checked at
 * run time: when they are not there it says so instead of silently using more memory.
 */
import * as tf from '@tensorflow/tfjs';

type GradientThunks = Record<string, () => tf.Tensor>;
interface TapeNode {
  gradient?: (dys: (tf.Tensor | null)[]) => GradientThunks;
  saved?: tf.Tensor[];
}
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
}

/** What the node processed last still holds: freed when the walk moves on to the next node. */
interface Pending {
  dys: tf.Tensor[];
  saved: tf.Tensor[];
  /** Tensors a thunk handed on as an input's gradient (a gradient may be its dy itself): not freed. */
  passedOn: Set<number>;
}

function engineInternals(): EngineInternals {
  const engine = tf.engine() as unknown as Partial<EngineInternals>;
  if (typeof engine.state?.gradientDepth !== 'number')
    throw new Error('frugalVariableGrads: this tfjs-core has no engine.state.gradientDepth (written for 4.22)');
  return engine as EngineInternals;
}

/** Wraps the gradient function of every node of the tape just recorded. */
function freeAsTheWalkGoes(tape: TapeNode[]): void {
  let pending: Pending | null = null;
  const release = () => {
    if (!pending) return;
    for (const dy of pending.dys) if (!pending.passedOn.has(dy.id)) dy.dispose();
    for (const t of pending.saved) t.dispose();
    pending = null;
  };
  for (const node of tape) {
    const gradient = node.gradient;
    if (!gradient) continue; // tfjs itself reports the missing gradient if the node is on the path
    node.gradient = (dys) => {
      release();
      const thunks = gradient(dys);
      const passedOn = new Set<number>();
      const wrapped: GradientThunks = {};
      for (const name of Object.keys(thunks)) {
        wrapped[name] = () => {
          const dx = thunks[name]();
          passedOn.add(dx.id);
          return dx;
        };
      }
      pending = { dys: dys.filter((d): d is tf.Tensor => d !== null), saved: node.saved ?? [], passedOn };
      return wrapped;
    };
  }
}

/**
 * Same contract as `tf.variableGrads(f, varList)`: the value of `f` and each variable's gradient by name
 * (variables `f` does not reach get none). Variables are never a node's output, so their gradients are never freed.
 */
export function frugalVariableGrads(f: () => tf.Scalar, varList: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = engineInternals();
  if (engine.state.gradientDepth !== 0) throw new Error('frugalVariableGrads: nested gradients are not supported');
  const recordAndWrap = () => {
    const value = f();
    const tape = engine.state.activeTape;
    if (!Array.isArray(tape)) throw new Error('frugalVariableGrads: no engine.state.activeTape after the forward pass (written for tfjs-core 4.22)');
    freeAsTheWalkGoes(tape);
    return value;
  };
  return tf.variableGrads(recordAndWrap, varList);
}

/** `optimizer.minimize(f, true, varList)` on frugalVariableGrads: applies the step, returns the loss. */
export function minimizeFrugally(optimizer: tf.Optimizer, f: () => tf.Scalar, varList: tf.Variable[]): tf.Scalar {
  const { value, grads } = frugalVariableGrads(f, varList);
  optimizer.applyGradients(grads);
  tf.dispose(Object.values(grads));
  return value;
}
