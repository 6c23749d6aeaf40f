import type { Command } from 'commander';
import { mergeRuns, RunDirError } from '../../core/store';
import { CliError } from '../errors';
import { requireFolder } from '../options';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('Join run directories of the same base commit (e.g. shards) into a new one.')
    .argument('<run-dirs...>', 'run directories to join')
    .requiredOption('--out <dir>', 'the new run directory')
    .action((dirs: string[], opts: { out: string }) => {
      for (const dir of dirs) requireFolder(dir, 'a run directory');
      try {
        const result = mergeRuns(dirs, opts.out);
        process.stdout.write(`Merged ${result.sources} runs into ${result.out}: ${result.samples} samples${result.duplicates ? `, ${result.duplicates} duplicates left out` : ''}.\n`);
      } catch (error) {
        if (error instanceof RunDirError) throw new CliError(error.message);
        throw error;
      }
    });
}
