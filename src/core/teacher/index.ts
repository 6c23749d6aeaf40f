export * from './types';
export { createTeacher } from './client';
export { checkConnection, listTeacherModels } from './connection';
export { parseTextToolCalls, splitThinking } from './text-tool-calls';
export { estimateTokens } from './tokens';
export { isContextLengthMessage } from './errors';
