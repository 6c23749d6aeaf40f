import type { Command } from 'commander';
import { defaultCacheDir, describeSyntaxErrors, ScanError, scanCounts, scanRepository, type ScanResult } from '../../core/functions';
import { CliError } from '../errors';
import { plural } from '../format';
import { collect, positiveNumber } from '../options';


export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('List the functions and methods of a repository (tree-sitter), with call edges.')
    .argument('[path]', 'repository or folder to scan', '.')
    .option('--json', 'print one JSON object instead of a summary')
    .option('--include <glob>', 'scan only files matching this glob (repeatable); lifts the default skip rules for them', collect, [])
    .option('--exclude <glob>', 'never scan files matching this glob (repeatable)', collect, [])
    .option('--languages <list>', 'comma-separated languages, e.g. py,ts,go')
    .option('--no-cache', 'parse every file again instead of reusing unchanged files\' results')
    .option('--max-file-kb <n>', 'skip files larger than this many KiB', positiveNumber('--max-file-kb'))
    .action(async (path: string, opts: { cache: boolean; json?: boolean; include: string[]; exclude: string[]; languages?: string; maxFileKb?: number }) => {
      let result: ScanResult;
      try {
        result = await scanRepository(path, {
          include: opts.include,
          exclude: opts.exclude,
          languages: opts.languages ? [opts.languages] : undefined,
          cacheDir: opts.cache ? defaultCacheDir() : undefined,
          maxFileBytes: opts.maxFileKb && opts.maxFileKb > 0 ? opts.maxFileKb * 1024 : undefined,
        });
      } catch (error) {
        if (error instanceof ScanError) throw new CliError(error.message);
        throw error;
      }
      if (opts.json) {
        const { root, functions, skipped } = result;
        process.stdout.write(JSON.stringify({ root, functions, skipped, counts: scanCounts(result) }) + '\n');
      } else {
        process.stdout.write(formatSummary(result));
      }
    });
}

export function formatSummary(result: ScanResult): string {
  const counts = scanCounts(result);
  const perLanguage = new Map<string, { files: Set<string>; functions: number }>();
  for (const fn of result.functions) {
    const entry = perLanguage.get(fn.language) ?? { files: new Set(), functions: 0 };
    entry.files.add(fn.file);
    entry.functions++;
    perLanguage.set(fn.language, entry);
  }
  const lines = [
    `Scanned ${result.root}`,
    `${plural(counts.functions, 'function')} in ${plural(counts.filesScanned, 'file')} (${(result.ms / 1000).toFixed(2)} s)`,
    '',
  ];
  if (perLanguage.size) {
    lines.push('  language      files  functions');
    for (const [lang, e] of [...perLanguage].sort((a, b) => b[1].functions - a[1].functions)) {
      lines.push(`  ${lang.padEnd(12)} ${String(e.files.size).padStart(6)} ${String(e.functions).padStart(10)}`);
    }
    lines.push('');
  }
  const { files, folders, byReason } = counts.skipped;
  if (files + folders) {
    lines.push(`Skipped ${[files ? plural(files, 'file') : '', folders ? plural(folders, 'folder') : ''].filter(Boolean).join(' and ')}:`);
    for (const [reason, n] of Object.entries(byReason).sort((a, b) => b[1] - a[1])) lines.push(`  ${reason.padEnd(22)} ${String(n).padStart(6)}`);
    lines.push('');
  }
  if (counts.notSource) lines.push(`${plural(counts.notSource, 'other file')} ${counts.notSource === 1 ? 'is' : 'are'} not source code in a supported language.`, '');
  if (counts.filesWithErrors.length) lines.push(`${describeSyntaxErrors(counts.filesWithErrors)}; their recoverable functions are listed.`, '');
  if (!result.functions.length) lines.push('No functions found. Check --include/--exclude/--languages, or that the folder holds source code.', '');
  return lines.join('\n');
}
