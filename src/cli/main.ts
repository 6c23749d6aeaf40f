import { Command, CommanderError } from 'commander';
import { registerScan } from './commands/scan';
import { registerScore } from './commands/score';
import { registerGenerate } from './commands/generate';
import { registerRuns } from './commands/runs';
import { registerMerge } from './commands/merge';
import { registerExport } from './commands/export';
import { registerEval } from './commands/eval';
import { TOOL_VERSION } from '../core/defaults';
import { CliError } from './errors';

const program = new Command()
  .name('specialize')
  .description('Generate soft-verified fine-tuning data for coding agents from a repository.')
  .version(TOOL_VERSION)
  .exitOverride()
  .showHelpAfterError('(run specialize --help for usage)');

registerScan(program);
registerScore(program);
registerGenerate(program);
registerRuns(program);
registerMerge(program);
registerExport(program);
registerEval(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  const message = error instanceof CliError ? error.message : `Unexpected error: ${(error as Error)?.stack ?? String(error)}`;
  process.stderr.write(`specialize: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
});
