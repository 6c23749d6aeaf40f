import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExportOptions } from '../../core/dataset';
import { EXPORT_FILE_LIST } from '../../core/dataset/files';
import type { ExportRequest } from '../../protocol';
import type { PanelExporter } from './controller';
import { engine } from '../lazy';

let knownSecrets: () => Promise<string[]> = async () => [];

/** Where the exporter gets secrets that must never be written, such as the teacher API key from SecretStorage. */
export function setKnownSecretsProvider(provider: () => Promise<string[]>): void {
  knownSecrets = provider;
}

/** The panel form's options as the exporter's (the names match; the form's output folder becomes `out`). */
export function toExportOptions(runDir: string, r: ExportRequest): ExportOptions {
  const o: ExportOptions = {
    runDirs: [runDir],
    out: resolve(runDir, r.outDir),
    format: r.format,
    trajectories: r.trajectories,
    think: r.think,
    onlyAccepted: r.onlyAccepted,
    includeUnsubmitted: r.includeUnsubmitted,
    maxPatchLines: r.maxPatchLines,
    maxToolOutputChars: r.maxToolOutputChars,
    maxTokens: r.maxTokens,
    truncate: r.truncate,
    keepDuplicatePatches: !r.dedupe,
    validation: r.validation,
    scrub: r.scrub,
    overwrite: r.overwrite,
  };
  if (r.threshold !== null) o.threshold = r.threshold;
  return o;
}

/** src/core/dataset behind the panel's exporter port; it lives in the lazily loaded engine bundle, so opening the panel stays light. */
export const datasetExporter: PanelExporter = {
  async preview(runDir, request, signal) {
    const { previewExport } = engine().dataset;
    const { out: _out, ...options } = toExportOptions(runDir, request);
    options.knownSecrets = await knownSecrets();
    const p = await previewExport(options, signal);
    const removed = Object.values(p.removedBy).reduce((a, b) => a + b, 0);
    return { selected: p.selected, samples: p.samples, total: p.selected + removed, removedBy: p.removedBy };
  },
  async run(runDir, request, onProgress, signal) {
    const { exportDataset } = engine().dataset;
    const options = toExportOptions(runDir, request);
    options.knownSecrets = await knownSecrets();
    const report = await exportDataset(options, onProgress, signal);
    return { outDir: options.out, samples: report.samples, trajectories: report.written.total, files: EXPORT_FILE_LIST.filter((f) => existsSync(join(options.out, f))) };
  },
};
