import type { ModuleDef } from '../../directives/types.js';
import { reqtimeoutDirectives } from './directives.js';

/** mod_reqtimeout.c */
export const reqtimeoutModule: ModuleDef = {
  id: 'reqtimeout_module',
  file: 'mod_reqtimeout.c',
  directives: reqtimeoutDirectives,
};
