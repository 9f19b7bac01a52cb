import type { MapPoints, MapSearchHits, Neighbour } from '../../../protocol/map';

/**
 * What the cluster map needs from the project; the host implements it with engine jobs.
 * Every method may be called again after the panel was hidden and shown (the webview
 * refetches instead of keeping data), so cache in the implementation when it is costly.
 */
export interface MapDataSource {
  /** Title of the panel, e.g. the dataset name. */
  readonly title: string;
  /**
   * Opaque key that identifies this map across restarts (e.g. `${projectDir}#${dataset}`);
   * `registerMapPanelSerializer`'s factory receives it to rebuild the source.
   */
  readonly restoreKey: string;
  /** Layout (n×2 Float32Array), cluster labels (-1 = outlier), clusters with keywords, ids, hover texts. */
  getPoints(): Promise<MapPoints>;
  /** k nearest neighbours of point `index` in the embedding space, best first, without the point itself. */
  neighbours(index: number, k: number): Promise<Neighbour[]>;
  /** Points whose text contains `query`, and (optionally) the points closest in meaning. */
  search(query: string): Promise<MapSearchHits>;
  /** Give the records at these indices a label (write to the dataset / a labels file). */
  labelRecords(indices: readonly number[], label: string): Promise<void>;
  /**
   * Take back the map labels of the records at these indices (they fall back to their own
   * labels from the data); resolves to the number of records that had a map label.
   */
  clearLabels(indices: readonly number[]): Promise<number>;
  /** Open pair annotation restricted to these records. */
  annotateSelection(indices: readonly number[]): Promise<void>;
  /** Forget cached points: the next getPoints refetches (the clustering changed). */
  invalidate?(): void;
  /** Reveal one record (optional). */
  openRecord?(index: number): Promise<void>;
}
