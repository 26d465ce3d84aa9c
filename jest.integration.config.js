// Integration specs: real PostgreSQL, real nats-server, the sandbox over HTTP, apps from built JavaScript.
const preset = require('./jest.preset');

module.exports = {
  ...preset,
  rootDir: __dirname,
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.integration-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
  maxWorkers: 2,
};
