// The worker-thread side of validate-pool.ts. Workers do not inherit the parent's TypeScript loader
// (tsx under `npm start`, SWC under jest), so this plain-JS entry registers tsx, then validates.
require('tsx/cjs/api').register();
const { validateDefinitionSource } = require('./validate.ts');

module.exports = ({ source, file }) => validateDefinitionSource(source, file);
