import * as fs from 'node:fs';
import { InputError } from '../../util/errors';
import { relativePathProblem } from '../../util/paths';

/**
 * A Hugging Face Hub model reference, parsed from an encoder spec:
 *
 *   org/name                      the default branch ("main")
 *   hf:org/name                   the same, explicit (also for one-part ids: hf:bert-base-uncased)
 *   org/name@revision             a branch, tag or commit sha
 *   org/name@rev#onnx/model_qint8_avx512.onnx   a chosen ONNX file ("#qint8_avx512" is short for it)
 */
export interface HubModelRef {
  repoId: string;
  revision: string;
  /** The ONNX file inside the repository, when the spec names one. */
  onnxFile?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REVISION = /^[A-Za-z0-9._/-]+$/;

const isNamePart = (p: string): boolean => p.length <= 96 && NAME.test(p) && !p.includes('..');

function revisionProblem(revision: string): string | undefined {
  if (!revision || !REVISION.test(revision)) return 'use letters, digits, ".", "_", "-" and "/"';
  return relativePathProblem(revision);
}

/** Throws an InputError unless `repoId` is `org/name` or `name` (each part letters, digits, ".", "_", "-"). */
export function checkRepoId(repoId: string): void {
  const parts = repoId.split('/');
  if (parts.length > 2 || !parts.every(isNamePart)) throw new InputError(`${JSON.stringify(repoId)} is not a Hugging Face model id (expected org/name)`, { field: 'encoder' });
}

/** Throws an InputError unless `revision` is a branch, tag or commit name that stays a relative path. */
export function checkRevision(revision: string): void {
  const problem = revisionProblem(revision);
  if (problem) throw new InputError(`bad revision ${JSON.stringify(revision)}: ${problem}`, { field: 'revision' });
}

/** Parses a Hub spec; throws InputError naming the field when it is malformed. */
export function parseHubSpec(spec: string): HubModelRef {
  let s = spec.trim();
  const explicit = s.startsWith('hf:');
  if (explicit) s = s.slice(3);
  let onnxFile: string | undefined;
  const hash = s.indexOf('#');
  if (hash >= 0) {
    onnxFile = expandOnnxFile(s.slice(hash + 1));
    s = s.slice(0, hash);
  }
  let revision = 'main';
  const at = s.indexOf('@');
  if (at >= 0) {
    revision = s.slice(at + 1);
    s = s.slice(0, at);
    if (revisionProblem(revision)) throw new InputError(`bad revision "${revision}" in "${spec}"`, { field: 'encoder' });
  }
  const parts = s.split('/');
  const ok = (parts.length === 2 || (explicit && parts.length === 1)) && parts.every(isNamePart);
  if (!ok) throw new InputError(`"${spec}" is not a Hugging Face model id (expected org/name[@revision])`, { field: 'encoder' });
  return { repoId: s, revision, onnxFile };
}

/** `qint8_avx512` → `onnx/model_qint8_avx512.onnx`; a path ending in .onnx is kept. */
export function expandOnnxFile(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (v.endsWith('.onnx')) return v.replace(/^\/+/, '');
  return `onnx/model_${v}.onnx`;
}

/**
 * True when a spec looks like a Hub id and is not something else: not an existing local
 * path, not "builtin", not "run:…", not a URL.
 */
export function looksLikeHubSpec(spec: string): boolean {
  const s = spec.trim();
  if (s.startsWith('hf:')) return true;
  if (!s || s === 'builtin' || s.startsWith('builtin:') || s.startsWith('run:')) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return false; // any scheme: http:, file:, C:\…
  if (s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || s.includes('\\')) return false;
  const base = s.split('#')[0];
  if (fs.existsSync(base) || fs.existsSync(base.split('@')[0])) return false;
  try {
    parseHubSpec(s);
    return true;
  } catch {
    return false;
  }
}
