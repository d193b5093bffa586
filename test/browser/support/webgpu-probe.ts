/** What a page or worker sees of WebGPU: the adapter and whether a device could be created. */
export interface WebGpuProbe {
  hasGpu: boolean;
  adapter: boolean;
  isFallbackAdapter: boolean | null;
  architecture: string | null;
  shaderF16: boolean;
  device: boolean;
  computeResult: number[] | null;
}

export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  const none = {
    adapter: false,
    isFallbackAdapter: null,
    architecture: null,
    shaderF16: false,
    device: false,
    computeResult: null,
  };
  if (!gpu) return { hasGpu: false, ...none };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { hasGpu: true, ...none };
  const device = await adapter.requestDevice();
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const result = await doubleOnGpu(device, [1, 2, 3, 4]);
  device.destroy();
  return {
    hasGpu: true,
    adapter: true,
    isFallbackAdapter: info.isFallbackAdapter ?? null,
    architecture: info.architecture,
    shaderF16: adapter.features.has("shader-f16"),
    device: true,
    computeResult: result,
  };
}

/** A real compute dispatch, so "a device exists" means it runs shaders. */
async function doubleOnGpu(device: GPUDevice, values: number[]): Promise<number[]> {
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read_write> v: array<f32>;
           @compute @workgroup_size(1) fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = v[id.x] * 2.0; }`,
  });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const size = values.length * 4;
  const buf = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const read = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buf, 0, new Float32Array(values));
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] }),
  );
  pass.dispatchWorkgroups(values.length);
  pass.end();
  enc.copyBufferToBuffer(buf, 0, read, 0, size);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const out = Array.from(new Float32Array(read.getMappedRange().slice(0)));
  read.unmap();
  return out;
}
