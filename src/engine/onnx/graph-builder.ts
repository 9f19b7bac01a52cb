import type { AttributeValue, OnnxInitializer, OnnxNode } from './onnx-model';

/** Collects nodes and initializers with unique names while a graph is built op by op. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  /** Adds a node; returns its (single) output name. */
  op(opType: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>, outputName?: string): string {
    const out = outputName ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ opType, inputs, outputs: [out], name: `${opType}_${this.nodes.length}`, attributes });
    return out;
  }

  /** A float32 initializer. */
  weight(name: string, dims: readonly number[], data: Float32Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** An int64 constant (deduplicated), e.g. a Reshape target or Unsqueeze axes. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = `const_i64_${this.constants.size}`;
      this.initializers.push({ name, dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float32 constant (deduplicated). */
  float(values: readonly number[], dims: readonly number[] = []): string {
    const key = `f32:${dims.join('x')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = `const_f32_${this.constants.size}`;
      this.initializers.push({ name, dims, data: Float32Array.from(values) });
      this.constants.set(key, name);
    }
    return name;
  }
}

/** Transposes a row-major [rows, cols] matrix to [cols, rows] (PyTorch Linear [out,in] → MatMul [in,out]). */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c];
  }
  return out;
}
