import { Command, CommanderError } from 'commander';
import { registerScan } from './commands/scan';
import { registerScore } from './commands/score';
import { registerGenerate } from './commands/generate';
import { registerRuns } from './commands/runs';
import { registerMerge } from './commands/merge';
import { registerExport } from './commands/export';
import { registerEval } from './commands/eval';
import { registerEvalReport } from './commands/eval-report';
import { TOOL_VERSION } from '../core/defaults';
import { CliError } from './errors';
import { EXIT } from './exit-codes';

// Settings made before the commands are registered are inherited by each of them: commander's
// own complaints (unknown option, missing argument) then read like ours and exit with the same code.
const program = new Command()
  .name('specialize')
  .description('Generate soft-verified fine-tuning data for coding agents from a repository.')
  .version(TOOL_VERSION)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`specialize: ${text.replace(/^error: /, '')}`) })
  .showHelpAfterError('(run specialize --help for usage)');

registerScan(program);
registerScore(program);
registerGenerate(program);
registerRuns(program);
registerMerge(program);
registerExport(program);
registerEval(program);
registerEvalReport(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return;
  }
  const message = error instanceof CliError ? error.message : `Unexpected error: ${(error as Error)?.stack ?? String(error)}`;
  process.stderr.write(`specialize: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : EXIT.internal;
});
