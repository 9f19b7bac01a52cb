export { createVectorIndex, ExactIndex, IvfVectorIndex, APPROXIMATE_SEARCH_THRESHOLD } from './vector-index';
export type { VectorIndex, SearchHit, VectorIndexOptions } from './vector-index';
export { searchText, searchRecord } from './query';
