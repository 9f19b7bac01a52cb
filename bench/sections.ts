import type { BenchSection } from './types';

/** Every bench section, in the order they run. Each lives in bench/<area>.ts. */
export const sections: BenchSection[] = [];

import { onnxBench } from './onnx';
sections.push(onnxBench);

import { trainBench } from './train';
sections.push(trainBench);

import { trainRunnersBench } from './train-runners';
sections.push(trainRunnersBench);

import { dataBench } from './data';
sections.push(dataBench);

import { pipelineBench } from './pipeline';
sections.push(pipelineBench);

import { clusterBench } from './cluster';
import { searchBench } from './search';
sections.push(clusterBench, searchBench);

import { builtinBench } from './builtin';
sections.push(builtinBench);

import { renderBench } from './render';
sections.push(renderBench);
