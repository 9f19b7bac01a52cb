/** Projects: the public surface. */
export * from './schema';
export * from './store';
export * from './dataset-file';
export * from './import-dataset';
export * from './annotations';
export * from './embedding-cache';
export * from './map-labels';
