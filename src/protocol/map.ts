/** Cluster map panel protocol (`webview/map` ↔ `src/host/panels/map`). Pure types + guards. */
import {
  isEmpty, isIndex, isIndexList, isShape, isString,
  type ProtocolGuards,
} from './ipc';

/**
 * One cluster of the layout: id (≥ 0), size and its c-TF-IDF topic keywords; its name and
 * description (the user's rename, else an LLM's) and its LLM-judged coherence (1–5) when
 * <project>/topics.json has them. Names are untrusted text: shown as text, never as HTML.
 */
export interface ClusterInfo {
  id: number;
  size: number;
  keywords: string[];
  name?: string;
  description?: string;
  nameSource?: 'llm' | 'user';
  coherence?: number;
}

/** A field of the records with few distinct values: an index per point into `names`, -1 = missing. */
export interface CategoryField {
  name: string;
  kind: 'category';
  values: Int32Array;
  names: string[];
}

/** A numeric field of the records; NaN = missing. */
export interface NumberField {
  name: string;
  kind: 'number';
  values: Float64Array;
}

/** Any other field, shortened per point ('' = missing). */
export interface TextField {
  name: string;
  kind: 'text';
  values: string[];
}

/** A field of the records (metadata) to filter, colour and list by. */
export type MapField = CategoryField | NumberField | TextField;

/** A second labelling to colour by (a run's clusters, for instance). */
export interface PointLabelling {
  id: string;
  name: string;
  /** Per point; -1 = none/outlier. */
  values: Int32Array;
  /** Display name per value (index = value); optional. */
  names?: string[];
}

/** Everything the map draws. n = number of points. */
export interface MapPoints {
  dataset: string;
  /** Row-major n × 2 layout coordinates (any range; the view fits them). */
  coords: Float32Array;
  /** Cluster per point, -1 = outlier. */
  clusterLabels: Int32Array;
  clusters: ClusterInfo[];
  /** Record id per point. */
  ids: string[];
  /** Hover text per point; the host may shorten it (≈ 300 chars). */
  texts: string[];
  /** Class labels from the data (value = index into `labelNames`, -1 = none). */
  labels?: Int32Array;
  labelNames?: string[];
  /** 1 = the record appears in at least one annotation. */
  annotated?: Uint8Array;
  /** Other labellings to colour by (e.g. one per run). */
  runs?: PointLabelling[];
  /** The records' own fields; the host bounds the payload (few categories, shortened text). */
  fields?: MapField[];
  /** Fields the host left out to keep the payload bounded. */
  omittedFields?: string[];
  /** How the clusters were made, e.g. "HDBSCAN (min size 10) · builtin · NMI 0.42". */
  caption?: string;
  /** A run's map: 1 for the records the run held out of training (the others are drawn faded). */
  heldOut?: Uint8Array;
  /** A run's map: what its label metrics are measured on ('training': the labels the run trained on). */
  metricsScope?: 'held-out' | 'all' | 'training';
}

/** A search's matches: texts containing the query, and the records closest in meaning. */
export interface MapSearchHits {
  /** Records whose text contains the query (substring, case-insensitive). */
  indices: Int32Array;
  /** Semantic matches (the query embedded with the map's encoder), best first. */
  semantic?: { index: number; similarity: number }[];
}

export interface Neighbour {
  index: number;
  id: string;
  text: string;
  /** Cosine similarity in the embedding space. */
  similarity: number;
}

export type ColourMode = 'cluster' | 'label' | 'annotation' | 'run' | 'coherence' | 'field';

export type MapCommands = {
  /** Give every selected record this label (the Kern-style 2D labelling). */
  labelRecords: { indices: Int32Array | number[]; label: string };
  /** Send the selected records to pair annotation. */
  annotateSelection: { indices: Int32Array | number[] };
  /** Reveal a record (e.g. open its dataset line). */
  openRecord: { index: number };
};

export type MapRequests = {
  /** All points of the current dataset layout. */
  getPoints: { params: Record<string, never>; result: MapPoints };
  /**
   * Take back the labels given on the map to the selected records: they fall back to their
   * own labels from the data. `cleared` counts the records that had a map label.
   */
  clearLabels: { params: { indices: Int32Array | number[] }; result: { cleared: number } };
  /** Nearest neighbours of one record in the embedding space (not the 2D layout). */
  neighbours: { params: { index: number; k: number }; result: { index: number; neighbours: Neighbour[] } };
  /** Records matching a query: substring matches, and semantic matches when the host has an encoder. */
  search: { params: { query: string }; result: MapSearchHits };
};

export type MapNotifications = {
  /** The layout, clusters or labels changed: refetch with getPoints. */
  dataChanged: { reason?: string };
  /** Annotation status changed (1 = annotated), same length as the points. */
  annotationsChanged: { annotated: Uint8Array };
  /** Centre and select a record (Find Similar, tree view). */
  focusRecord: { index: number };
};

export type MapProtocol = {
  commands: MapCommands;
  requests: MapRequests;
  notifications: MapNotifications;
};

export const mapGuards: ProtocolGuards<MapProtocol> = {
  commands: {
    labelRecords: isShape<MapCommands['labelRecords']>({ indices: isIndexList, label: isString }),
    annotateSelection: isShape<MapCommands['annotateSelection']>({ indices: isIndexList }),
    openRecord: isShape<MapCommands['openRecord']>({ index: isIndex }),
  },
  requests: {
    getPoints: isEmpty,
    clearLabels: isShape<MapRequests['clearLabels']['params']>({ indices: isIndexList }),
    neighbours: isShape<MapRequests['neighbours']['params']>({ index: isIndex, k: isIndex }),
    search: isShape<MapRequests['search']['params']>({ query: isString }),
  },
};

