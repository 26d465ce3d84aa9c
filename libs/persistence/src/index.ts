export * from './data-source/create-data-source';
export * from './data-source/run-migrations';
export * from './migrations';
