/**
 * Evaluating models on the repository's own tasks: held-out samples of generation runs, or real
 * commits of its history. See docs/EVAL.md.
 *
 *   runEval(options) -> EvalSummary       an eval run directory, resumable like a generation run
 *   evalReport(dir, options) -> EvalReport  means with bootstrap intervals, paired differences
 */
export { runEval, type EvalOptions, type EvalProgress, type EvalSummary } from './run-eval';
export { EvalError } from './errors';
export { historyTasks, HISTORY_DEFAULTS, type HistoryOptions } from './history-tasks';
export { runTasks, type RunTaskOptions } from './run-tasks';
export { messageSkip, type MessageSkip } from './commit-messages';
export { apiKeyFor, checkLabels, parseModelSpec, type ModelSpec } from './models';
export { defaultEvalsFolder, EVAL_FILES, isEvalDir, readEvalState, pairKey, type EvalState } from './eval-dir';
export { scoreAgainst } from './attempt';
export * from './types';
export { evalReport, type EvalReport, type ModelSummary, type PairedDifference, type ReportOptions, type TaskRow } from './report';
export { bootstrapMean, type BootstrapOptions, type Estimate } from './bootstrap';
export { recallPlot } from './plot';
export { compareTask, type MarkedLine, type TaskComparison } from './compare';
export { describeEval, listEvals, type EvalListing } from './listing';
