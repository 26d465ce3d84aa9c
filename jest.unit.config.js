// Unit specs: beside the code, no servers. Run by `npm test` and by each project's `test` target.
const preset = require('./jest.preset');

module.exports = {
  ...preset,
  rootDir: __dirname,
  displayName: 'unit',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/fixtures/'],
};
