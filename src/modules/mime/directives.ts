import type { Cmd, DirectiveEntry, ModuleDef } from '../../directives/types.js';
import { ACCESS_CONF, OR_FILEINFO, RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';

type ExtField = 'types' | 'charsets' | 'encodings' | 'handlers' | 'inputFilters' | 'languages' | 'outputFilters';

/** mod_mime's per-directory record: extension (lower-case, without the dot) → value, per kind. */
export interface MimeDirConfig {
  types: Map<string, string>;
  charsets: Map<string, string>;
  encodings: Map<string, string>;
  handlers: Map<string, string>;
  inputFilters: Map<string, string>;
  outputFilters: Map<string, string>;
  languages: Map<string, string>;
  /** Extensions removed with Remove* (applied over inherited values), per kind. */
  removed: Map<ExtField, Set<string>>;
  defaultLanguage?: string;
  multiviewsMatch?: string[];
  usePathInfo?: boolean;
}

export interface MimeServerConfig {
  /** TypesConfig path as written (ServerRoot-relative), if set. */
  typesConfig?: string;
}

export function createMimeDirConfig(): MimeDirConfig {
  return {
    types: new Map(),
    charsets: new Map(),
    encodings: new Map(),
    handlers: new Map(),
    inputFilters: new Map(),
    outputFilters: new Map(),
    languages: new Map(),
    removed: new Map(),
  };
}

let self: ModuleDef<MimeServerConfig, MimeDirConfig> | undefined;
export function bindMime(m: ModuleDef<MimeServerConfig, MimeDirConfig>): void {
  self = m;
}
function conf(cmd: Cmd): MimeDirConfig {
  return cmd.dirConfig(self as ModuleDef<MimeServerConfig, MimeDirConfig>);
}

const ext = (e: string) => (e.startsWith('.') ? e.slice(1) : e).toLowerCase();

/** Add* (ITERATE2): `value ext ext …`. AddType lower-cases the type; handlers and filters keep case as httpd does. */
function addExt(field: ExtField, lower: boolean) {
  return (cmd: Cmd, [value, e]: string[]) => {
    const c = conf(cmd);
    c[field].set(ext(e), lower ? value.toLowerCase() : value);
    c.removed.get(field)?.delete(ext(e));
    return undefined;
  };
}

function removeExt(field: ExtField) {
  return (cmd: Cmd, [e]: string[]) => {
    const c = conf(cmd);
    c[field].delete(ext(e));
    let set = c.removed.get(field);
    if (!set) c.removed.set(field, (set = new Set()));
    set.add(ext(e));
    return undefined;
  };
}

function defaultLanguage(cmd: Cmd, [arg]: string[]) {
  conf(cmd).defaultLanguage = arg;
  return undefined;
}

function typesConfig(cmd: Cmd, [arg]: string[]) {
  cmd.serverConfig(self as ModuleDef<MimeServerConfig, MimeDirConfig>).typesConfig = arg;
  return undefined;
}

/** `MultiviewsMatch Any|NegotiatedOnly|Filters|Handlers`. */
function multiviewsMatch(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  if (!['any', 'negotiatedonly', 'filters', 'handlers'].includes(a)) return `Unrecognized option '${arg}'`;
  const c = conf(cmd);
  c.multiviewsMatch = [...(c.multiviewsMatch ?? []), a];
  return undefined;
}

function usePathInfo(cmd: Cmd, [arg]: string[]) {
  conf(cmd).usePathInfo = arg === 'On';
  return undefined;
}

/** mod_mime.c's command table. */
export const mimeDirectives: DirectiveEntry[] = [
  d('AddCharset', 'ITERATE2', OR_FILEINFO, 'a charset (e.g., iso-2022-jp), followed by one or more file extensions', 'ignored', addExt('charsets', true), NOTE.mime),
  d('AddEncoding', 'ITERATE2', OR_FILEINFO, 'an encoding (e.g., gzip), followed by one or more file extensions', 'ignored', addExt('encodings', true), NOTE.mime),
  d('AddHandler', 'ITERATE2', OR_FILEINFO, 'a handler name followed by one or more file extensions', 'ignored', addExt('handlers', false), NOTE.mime),
  d('AddInputFilter', 'ITERATE2', OR_FILEINFO, 'input filter name (or ; delimited names) followed by one or more file extensions', 'ignored', addExt('inputFilters', false), NOTE.filters),
  d('AddLanguage', 'ITERATE2', OR_FILEINFO, 'a language (e.g., fr), followed by one or more file extensions', 'ignored', addExt('languages', true), NOTE.mime),
  d('AddOutputFilter', 'ITERATE2', OR_FILEINFO, 'output filter name (or ; delimited names) followed by one or more file extensions', 'ignored', addExt('outputFilters', false), NOTE.filters),
  d('AddType', 'ITERATE2', OR_FILEINFO, 'a mime type followed by one or more file extensions', 'yes', addExt('types', true)),
  d('DefaultLanguage', 'TAKE1', OR_FILEINFO, 'language to use for documents with no other language file extension', 'ignored', defaultLanguage, NOTE.mime),
  d('MultiviewsMatch', 'ITERATE', OR_FILEINFO, 'NegotiatedOnly (default), Handlers and/or Filters, or Any', 'ignored', multiviewsMatch, NOTE.negotiation),
  d('RemoveCharset', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'ignored', removeExt('charsets'), NOTE.mime),
  d('RemoveEncoding', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'ignored', removeExt('encodings'), NOTE.mime),
  d('RemoveHandler', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'ignored', removeExt('handlers'), NOTE.mime),
  d('RemoveInputFilter', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'ignored', removeExt('inputFilters'), NOTE.filters),
  d('RemoveLanguage', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'ignored', removeExt('languages'), NOTE.mime),
  d('RemoveOutputFilter', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'ignored', removeExt('outputFilters'), NOTE.filters),
  d('RemoveType', 'ITERATE', OR_FILEINFO, 'one or more file extensions', 'yes', removeExt('types')),
  d('TypesConfig', 'TAKE1', RSRC_CONF, 'the MIME types config file', 'yes', typesConfig),
  d('ModMimeUsePathInfo', 'FLAG', ACCESS_CONF, "Set to 'yes' to allow mod_mime to use path info for type checking", 'ignored', usePathInfo, NOTE.mime),
];
