/** Process definitions: load YAML with positions, validate (schema + semantics), hash, role catalog. */
export {
  DefinitionValidationError,
  formatDefinitionError,
  formatDefinitionErrors,
  sortDefinitionErrors,
  type DefinitionError,
} from './errors';
export { loadDefinitionFile, loadDefinitionSource, type Anchor, type LoadedDefinitionSource, type Position } from './load';
export { checkSemantics, type DefinitionCatalog, type SemanticProblem } from './semantic';
export { assertValidDefinitionSource, defaultCatalog, validateDefinitionSource, validatePath, type ValidationResult } from './validate';
export { canonicalJson, hashDefinition } from './hash';
export { loadRoleCatalog, roleCatalog, roleIds, ROLES_FILE, type Role } from './roles';
