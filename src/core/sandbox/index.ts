export { bwrapAvailable } from './bwrap';
export { buildDockerCommand, type DockerRunOptions } from './docker';
export { JailError } from './jail';
export { SandboxPool, defaultPoolDir } from './pool';
export { SandboxSetupError } from './repo-info';
export { AGENT_ROOT, type CommandResult, type RunOptions, type SandboxCopy, type SandboxMode, type SandboxOptions } from './types';
