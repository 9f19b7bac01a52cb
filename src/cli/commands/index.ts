import type { CliCommand } from '../command';

/** Every `embedlab` subcommand, in the order `embedlab --help` lists them. */
export const commands: CliCommand[] = [];

import { embedCommand } from './embed';
commands.push(embedCommand);

import { trainCommand } from './train';
import { sweepCommand } from './sweep';
import { runsCommand } from './runs';
commands.push(trainCommand, sweepCommand, runsCommand);

import { initCommand } from './init';
import { importCommand } from './import';
import { cleanCommand } from './clean';
import { annotationsCommand } from './annotations';
commands.push(initCommand, importCommand, cleanCommand, annotationsCommand);

import { downloadCommand } from './download';
commands.push(downloadCommand);

import { clusterCommand } from './cluster';
import { searchCommand } from './search';
import { topicsCommand } from './topics';
commands.push(clusterCommand, searchCommand, topicsCommand);

import { evalStsCommand } from './eval-sts';
import { evalTopkCommand } from './eval-topk';
commands.push(evalStsCommand, evalTopkCommand);
