export { runAgent, type AgentRun } from './loop';
export { Editor, ToolInputError, numberLines, type PathJail } from './editor';
export { agentTools, BASH_TOOL, EDITOR_TOOL, SUBMIT_TOOL } from './tool-specs';
export { systemPrompt, taskMessage } from './prompts';
export * from './types';
