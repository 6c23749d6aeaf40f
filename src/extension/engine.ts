// Everything heavy the extension uses from the engine, bundled separately as dist/engine.js so
// that activation loads none of it; see lazy.ts.
export { scanRepository, defaultCacheDir, languageForPath, ScanError } from '../core/functions';
export { extractFunctions } from '../core/functions/extract';
export { generate, GenerateError, BankError, defaultRunsFolder } from '../core/generation';
export { summarizeRun, readRunState, readDecisions, isRunDir, readManifest, runHolder, mergeRuns } from '../core/store';
export { checkConnection, createTeacher, listTeacherModels } from '../core/teacher';
export { TeacherError } from '../core/teacher/types';
export { bwrapAvailable } from '../core/sandbox';
export * as dataset from '../core/dataset';
export { evalReport, readEvalState, defaultEvalsFolder, pairKey } from '../core/eval';
export { describeEval, listEvals } from '../core/eval/listing';
