import type { ModuleDef } from '../../directives/types.js';
import { httpCoreDirectives } from './directives.js';

/** http_core.c */
export const httpCoreModule: ModuleDef = {
  id: 'http_module',
  file: 'http_core.c',
  builtin: true,
  directives: httpCoreDirectives,
};
