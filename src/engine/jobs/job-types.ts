/**
 * The job catalogue: for each job type, its parameters and its result. Add a type here
 * and a handler in `handlers.ts`; the client and the engine process pick it up.
 * Results may hold typed arrays (Float32Array, Int32Array): they cross the process
 * boundary as typed arrays.
 */
import type { Matrix } from '../util/matrix';
import type { PeekParams, PeekResult, SimilarParams, SimilarResult } from './project-jobs';
import type { ImportJobParams } from './import-job';
import type { ImportReport } from '../project/import-dataset';
import type { TrainJobParams } from './train-job';
import type { CleanJobParams, CleanJobResult } from './clean-job';
import type { SuggestJobParams, SuggestedRecordPair } from './suggest-job';
import type { PrescorePlanParams, PrescorePlan, PrescoreRunParams, PrescoreOutcome, LlmAgreementParams } from './prescore-job';
import type { LlmAgreementReport } from '../annotate/llm-agreement';
import type { MapJobParams, MapJobResult, NeighboursParams, MapNeighbour, MapSearchParams, MapSearchResult, RunMapParams } from './map-job';
import type { ClusterJobParams, ClusterJobResult } from './cluster-job';
import type { ExportClustersParams, ExportClustersResult, ExportModelParams, ExportModelResult } from './export-jobs';
import type { ExportAnnotationsParams, ExportAnnotationsResult } from './export-annotations-job';
import type { TrainResult } from '../train/index';
import type { EmbedFileParams, EmbedFileResult } from './embed-file-job';
import type { ClusterFileParams, ClusterFileResult } from './cluster-file-job';
import type { SearchFileParams, SearchFileResult } from './search-file-job';
import type { EvalStsParams, EvalStsResult, EvalTopkParams, EvalTopkResult } from './eval-jobs';
import type { TrainFileParams, ResumeRunParams, EvalRunParams, SweepParams } from './train-run-jobs';
import type { EvalRunResult, SweepResult } from '../train/index';
import type { ClusterJudgmentsResult, TopicListResult, TopicLlmParams, TopicNamesResult, TopicRenameParams } from './topic-llm-jobs';
import type { TopicRenameEntry } from '../project/topic-store';
import type { ActiveLoopTrainParams, ActiveLoopTrainResult } from './active-loop-job';

/** Diagnostic: waits `ms` in `steps` slices, reporting progress; cancellable at each slice. */
export interface SleepParams {
  ms: number;
  steps?: number;
}

/**
 * Texts to work on: given inline, a project's dataset (`projectDir` + `dataset`), or a
 * raw data file read with a template.
 */
export interface TextSource {
  texts?: string[];
  projectDir?: string;
  dataset?: string;
  file?: string;
  template?: string;
  label?: string;
}

export interface EmbedParams extends TextSource {
  /** Encoder spec, as understood by `resolveEncoder` ("builtin", a folder, a Hub id, a URL…). */
  encoder: string;
  cacheDir?: string;
  seed?: number;
  offline?: boolean;
}

export interface EmbedResult {
  encoderId: string;
  ids: string[];
  labels?: string[];
  embeddings: Matrix;
  /** For project data: distinct texts found in the embedding cache, and embedded now. */
  cached?: { hits: number; embedded: number };
  seconds: number;
}

export interface KMeansJobParams extends EmbedParams {
  k: number;
}

export interface KMeansJobResult {
  encoderId: string;
  ids: string[];
  labels: Int32Array;
  inertia: number;
  iterations: number;
  seconds: number;
}

export interface JobTypes {
  sleep: { params: SleepParams; result: { sleptMs: number } };
  embed: { params: EmbedParams; result: EmbedResult };
  kmeans: { params: KMeansJobParams; result: KMeansJobResult };
  peek: { params: PeekParams; result: PeekResult };
  import: { params: ImportJobParams; result: ImportReport };
  similar: { params: SimilarParams; result: SimilarResult };
  train: { params: TrainJobParams; result: TrainResult };
  /** One round of the active loop: a head-mode run on the annotations minus the fixed held-out part. */
  activeLoopTrain: { params: ActiveLoopTrainParams; result: ActiveLoopTrainResult };
  clean: { params: CleanJobParams; result: CleanJobResult };
  suggestPairs: { params: SuggestJobParams; result: SuggestedRecordPair[] };
  planPrescore: { params: PrescorePlanParams; result: PrescorePlan };
  prescorePairs: { params: PrescoreRunParams; result: PrescoreOutcome };
  llmAgreement: { params: LlmAgreementParams; result: LlmAgreementReport };
  cluster: { params: ClusterJobParams; result: ClusterJobResult };
  mapPoints: { params: MapJobParams; result: MapJobResult };
  neighbours: { params: NeighboursParams; result: MapNeighbour[] };
  mapSearch: { params: MapSearchParams; result: MapSearchResult };
  runMap: { params: RunMapParams; result: MapJobResult };
  exportClusters: { params: ExportClustersParams; result: ExportClustersResult };
  exportModel: { params: ExportModelParams; result: ExportModelResult };
  exportAnnotations: { params: ExportAnnotationsParams; result: ExportAnnotationsResult };
  // LLM assist on a dataset's clusters (embedlab topics …, the Name/Judge/Rename commands).
  topicNames: { params: TopicLlmParams; result: TopicNamesResult };
  clusterJudgments: { params: TopicLlmParams; result: ClusterJudgmentsResult };
  topicRename: { params: TopicRenameParams; result: { cluster: number; rename?: TopicRenameEntry; file: string } };
  topicList: { params: ClusterJobParams; result: TopicListResult };
  // The CLI's use cases on data files (embedlab embed, cluster, search, eval-sts, eval-topk).
  embedFile: { params: EmbedFileParams; result: EmbedFileResult };
  clusterFile: { params: ClusterFileParams; result: ClusterFileResult };
  searchFile: { params: SearchFileParams; result: SearchFileResult };
  evalSts: { params: EvalStsParams; result: EvalStsResult };
  evalTopk: { params: EvalTopkParams; result: EvalTopkResult };
  // Training on data files (embedlab train, sweep).
  trainFile: { params: TrainFileParams; result: TrainResult };
  resumeRun: { params: ResumeRunParams; result: TrainResult };
  evalRun: { params: EvalRunParams; result: EvalRunResult };
  sweep: { params: SweepParams; result: SweepResult };
}
