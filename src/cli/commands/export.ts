import { Option, type Command } from 'commander';
import { relative } from 'node:path';
import { DEFAULTS, ExportError, exportDataset, FORMAT_INFO, FORMATS, THINK_MODES, TRAJECTORY_CHOICES, type ExportOptions, type ExportReport } from '../../core/dataset';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { fraction, requireFolder, wholeNumber } from '../options';

interface ExportFlags {
  out: string;
  format: ExportOptions['format'];
  trajectories: ExportOptions['trajectories'];
  think: ExportOptions['think'];
  threshold?: number;
  onlyAccepted?: boolean;
  includeUnsubmitted?: boolean;
  maxPatchLines: number;
  maxToolOutputChars: number;
  maxTokens: number;
  truncate?: boolean;
  dedupe: boolean;
  validation: number;
  scrub: boolean;
  name?: string;
  license?: string;
  overwrite?: boolean;
  workers?: number;
  json?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export run directories as a fine-tuning dataset (JSONL, dataset card, report) that training stacks load.')
    .argument('<run-dirs...>', 'run directories to export together')
    .requiredOption('--out <dir>', 'folder to write (new or empty)')
    .addOption(new Option('--format <format>', `line format: ${FORMATS.map((f) => `${f} (${FORMAT_INFO[f].detail})`).join('; ')}`).choices([...FORMATS]).default(DEFAULTS.format))
    .addOption(new Option('--trajectories <which>', 'T1 (vague task), T2 (synthetic PR) or both').choices([...TRAJECTORY_CHOICES]).default(DEFAULTS.trajectories))
    .addOption(new Option('--think <mode>', 'reasoning: keep as reasoning_content, drop, or wrap in <think> tags').choices([...THINK_MODES]).default(DEFAULTS.think))
    .option('--threshold <recall>', "recall an undecided sample needs (default: each run's own threshold)", fraction('--threshold', true))
    .option('--only-accepted', 'export only samples accepted in curation')
    .option('--include-unsubmitted', 'also export trajectories that ended by a limit or an error instead of submit')
    .option('--max-patch-lines <n>', 'most changed lines in a trajectory\'s patch, 0 for no limit', wholeNumber('--max-patch-lines'), DEFAULTS.maxPatchLines)
    .option('--max-tool-output-chars <n>', 'most characters per tool output on average, 0 for no limit', wholeNumber('--max-tool-output-chars'), DEFAULTS.maxToolOutputChars)
    .option('--max-tokens <n>', 'token budget per trajectory (cl100k_base), 0 for no limit', wholeNumber('--max-tokens'), DEFAULTS.maxTokens)
    .option('--truncate', 'clip the longest tool outputs (marked) to fit --max-tokens instead of dropping the trajectory')
    .option('--no-dedupe', 'keep trajectories whose patch repeats one already exported')
    .option('--validation <fraction>', 'fraction of start functions held out in data/validation.jsonl', fraction('--validation', false), 0)
    .option('--no-scrub', 'skip pattern-based secret scrubbing (the API key and your paths are still removed)')
    .option('--name <name>', 'dataset name for the card')
    .option('--license <id>', 'license for the card, e.g. apache-2.0 (default: other)')
    .option('--overwrite', 'replace an earlier export in --out')
    .option('--workers <n>', 'worker threads (default: one per core, at most 4; 0 works in one thread)', wholeNumber('--workers'))
    .option('--json', 'print the report as one JSON object')
    .action(async (dirs: string[], flags: ExportFlags) => {
      for (const dir of dirs) requireFolder(dir, 'a run directory (REPO/.specializer/runs/<run-id>; specialize runs REPO lists them)');
      const options: ExportOptions = {
        runDirs: dirs,
        out: flags.out,
        format: flags.format,
        trajectories: flags.trajectories,
        think: flags.think,
        threshold: flags.threshold,
        onlyAccepted: flags.onlyAccepted,
        includeUnsubmitted: flags.includeUnsubmitted,
        maxPatchLines: flags.maxPatchLines,
        maxToolOutputChars: flags.maxToolOutputChars,
        maxTokens: flags.maxTokens,
        truncate: flags.truncate,
        keepDuplicatePatches: !flags.dedupe,
        validation: flags.validation,
        scrub: flags.scrub,
        name: flags.name,
        license: flags.license,
        overwrite: flags.overwrite,
        workers: flags.workers,
      };
      const tty = process.stderr.isTTY && !flags.json;
      // Ctrl+C stops the export cleanly: nothing half-written stays in --out. A second one quits at once.
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let report: ExportReport;
      try {
        report = await exportDataset(options, tty ? (p) => process.stderr.write(`\r${p.done}/${p.total} trajectories, ${p.written} written`) : undefined, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) {
          if (tty) process.stderr.write('\n');
          process.stderr.write(`specialize: the export was stopped; nothing of it was left in ${flags.out}.\n`);
          process.exitCode = EXIT.interrupted;
          return;
        }
        if (error instanceof ExportError) throw new CliError(error.message);
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (tty && !controller.signal.aborted) process.stderr.write('\n');
      }
      if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
      else process.stdout.write(formatReport(report, flags.out));
      if (report.written.total === 0) {
        process.stderr.write('specialize: nothing was exported; the table above says what left each trajectory out.\n');
        process.exitCode = EXIT.nothingProduced;
      }
    });
}

function formatReport(r: ExportReport, out: string): string {
  const where = relative(process.cwd(), out) || '.';
  const lines = [
    `Exported ${r.written.total} trajectories of ${r.samples} samples to ${where} (${r.options.format}): train ${r.written.train}${r.written.validation ? `, validation ${r.written.validation} (${r.validationFunctions} functions held out)` : ''}.`,
    `  ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s; tokens ${r.tokens.total} (mean ${r.tokens.mean}, max ${r.tokens.max}); ${r.redactions.total} redactions${r.truncated ? `; ${r.truncated} clipped to fit` : ''}.`,
  ];
  const removed = Object.entries(r.removedBy);
  if (removed.length) {
    lines.push(`  Left out (of ${r.candidates} trajectories):`);
    for (const [reason, n] of removed) lines.push(`    ${reason.padEnd(22)} ${n}`);
  }
  return lines.join('\n') + '\n';
}
