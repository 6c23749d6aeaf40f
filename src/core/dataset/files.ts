/**
 * The files an export writes, relative to its folder: what a finished export holds, what
 * `--overwrite` may replace, and what the panel lists when it is done. No imports, so the
 * extension can name them without loading the exporter.
 */
export const EXPORT_FILES = {
  train: 'data/train.jsonl',
  validation: 'data/validation.jsonl',
  card: 'README.md',
  manifest: 'export.json',
  redactions: 'redactions.jsonl',
  /** LLaMA-Factory's dataset registry, written beside the data for the sharegpt format. */
  llamaFactory: 'dataset_info.json',
} as const;

export const EXPORT_FILE_LIST: readonly string[] = Object.values(EXPORT_FILES);
