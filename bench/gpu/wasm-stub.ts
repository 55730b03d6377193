// Stands in for @tensorflow/tfjs-backend-wasm in the GPU bench bundle (bench/gpu/bundle.sh): webgpu only, no wasm files.
export {};
