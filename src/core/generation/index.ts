export { generate, defaultRunsFolder, TOOL_VERSION, type GenerateOptions, type RunProgress, type RunSummary } from './generate';
export { GenerateError } from './errors';
export { parseShard, planSamples, inShard, sampleId, explainShortfall, type Shard } from './plan';
export { BUILTIN_INSTRUCTIONS, type InstructionTemplate } from './instruction-bank';
export { BUILTIN_DEMONSTRATIONS, type Demonstration } from './demonstration-bank';
export { instructionBank, loadInstructionBank, renderInstruction, pickTemplate, BankError } from './instructions';
export { loadDemonstrations } from './demonstrations';
export { detectLeak, cleanLeak, writeSyntheticPr, PrRejected } from './synthetic-pr';
export { runSample } from './pipeline';
