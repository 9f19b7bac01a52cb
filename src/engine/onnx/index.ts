/** ONNX graph generation: BERT/RoBERTa encoders from weights, and complete sentence-transformers folders. */
export { bertConfig, bertConfigFromHf, bertConfigToHf, MINILM_L6_CONFIG, type BertConfig } from './bert-config';
export { bertWeightShapes, bertWeightsFromTensors, randomBertWeights, type BertWeights } from './bert-weights';
export { buildBertOnnx, writeBertOnnx, type BertGraphOptions } from './bert-graph';
export { readSafetensors, writeSafetensors, type SafeTensor } from './safetensors';
export { writeModelFolder, type WriteModelFolderOptions } from './model-folder-writer';
