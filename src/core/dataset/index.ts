/**
 * The dataset exporter: run directories in, a folder that training stacks load out.
 *
 *   exportDataset(options: ExportOptions, onProgress?, signal?) -> Promise<ExportReport>
 *     writes OUT/data/train.jsonl (+ data/validation.jsonl), OUT/README.md (dataset card),
 *     OUT/export.json (options and report) and OUT/redactions.jsonl (files.ts names them all;
 *     the sharegpt format adds LLaMA-Factory's dataset_info.json).
 *   previewExport(options without out, signal?) -> Promise<ExportPreview>
 *     the same selection and filters without writing: { selected, samples, removedBy, redactions },
 *     for the curation panel's "what would be exported" line.
 *
 * Formats: sera-hermes (default), sera-xml, hf, openai, sharegpt, sharegpt-text (options.ts says
 * what each is for). See options.ts for every option and its default, and report.ts for what the
 * report holds.
 */
export { exportDataset, previewExport, type ExportPreview } from './export';
export { DEFAULTS, ExportError, FORMAT_INFO, FORMATS, THINK_MODES, TRAJECTORY_CHOICES, resolveOptions, type ExportFormat, type ExportOptions, type ResolvedOptions, type ThinkMode, type TrajectoryChoice } from './options';
export type { ExportProgress, ExportReport, RunFacts, TokenStats } from './report';
export { Scrubber, scrubPatterns, placeholder, type ScrubberConfig } from './scrub';
export { parseAssistantText, renderAssistantText, pythonJson, type CallStyle, type TextCall } from './tool-text';
export { datasetCard } from './card';
