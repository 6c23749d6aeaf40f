export * from './records';
export * from './run-dir';
export { isTemporaryName, writeFileAtomically, writeFileAtomicallyAsync } from './atomic-write';
export { claimRunFolder, lazyRunLock, lockRun, runHolder, RunLockedError, type RunFolderKind, type RunLock } from './run-lock';
export { RunControl, type StopReason } from './run-control';
export { JsonlWriter, readJsonl } from './jsonl';
export { summarizeRun, recallBin, type RunSummaryView } from './summary';
export { mergeRuns, type MergeResult } from './merge';
