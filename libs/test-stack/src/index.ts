export * from './start-stack';
export * from './app-process';
export * from './log-buffer';
export * from './workspace-root';
