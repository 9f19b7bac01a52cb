/** Full-mode fine-tuning: BERT-family encoders in TensorFlow.js, trained end to end and exported. */
export { trainFull, FULL_DEFAULT_LR } from './full-trainer';
export { SentenceModel } from './sentence-model';
export { TfBert, type DropoutRates } from './bert-model';
export { readTrainableFolder, loadFolderWeights, locateTrainableFolder, TRAINABLE_MODEL_TYPES, type TrainableFolder } from './model-source';
export { exportSentenceModel } from './export';
