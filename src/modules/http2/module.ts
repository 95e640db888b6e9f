import type { Cmd, DirectiveEntry, Handler, ModuleDef } from '../../directives/types.js';
import { OR_AUTHCFG, OR_FILEINFO, RSRC_CONF } from '../../directives/types.js';

/** The mod_http2 settings featherd reads (it speaks HTTP/1.1 to clients otherwise). */
export interface Http2ServerConfig {
  /** H2Upgrade, H2Direct, H2WebSockets… as written (On/Off), for `-S` dumps and lint. */
  flags: Map<string, boolean>;
}

/** mod_http2.c / h2_config.c */
export const http2Module: ModuleDef<Http2ServerConfig, unknown> = {
  id: 'http2_module',
  file: 'mod_http2.c',
  createServerConfig: () => ({ flags: new Map() }),
  mergeServerConfig: (base, add) => ({ flags: new Map([...base.flags, ...add.flags]) }),
  directives: [],
};

const NOTE = 'featherd does not speak HTTP/2 to clients; accepted and checked only';

/** "value must be On or Off" handlers (httpd takes these as TAKE1, not FLAG). */
const onOff: Handler = (cmd: Cmd, args: string[]) => {
  const v = args[0].toLowerCase();
  if (v !== 'on' && v !== 'off') return 'value must be On or Off';
  cmd.serverConfig(http2Module).flags.set(cmd.entry.name, v === 'on');
  return undefined;
};

const atLeast = (min: number, msg: string): Handler => (_cmd: Cmd, args: string[]) => ((parseInt(args[0], 10) || 0) < min ? msg : undefined);

function e(name: string, args: DirectiveEntry['args'], contexts: number, help: string, handler?: Handler): DirectiveEntry {
  return { name, args, contexts, help, support: 'ignored', note: NOTE, handler };
}

http2Module.directives.push(
  e('H2MaxSessionStreams', 'TAKE1', RSRC_CONF, 'maximum number of open streams per session', atLeast(1, 'value must be > 0')),
  e('H2WindowSize', 'TAKE1', RSRC_CONF, 'window size on client DATA', atLeast(1024, 'value must be >= 1024')),
  e('H2MinWorkers', 'TAKE1', RSRC_CONF, 'minimum number of worker threads per child', atLeast(1, 'value must be > 0')),
  e('H2MaxWorkers', 'TAKE1', RSRC_CONF, 'maximum number of worker threads per child', atLeast(1, 'value must be > 0')),
  e('H2MaxWorkerIdleSeconds', 'TAKE1', RSRC_CONF, 'maximum number of idle seconds before a worker shuts down'),
  e('H2StreamMaxMemSize', 'TAKE1', RSRC_CONF, 'maximum number of bytes buffered in memory for a stream', atLeast(1, 'value must be > 0')),
  e('H2SerializeHeaders', 'TAKE1', RSRC_CONF, 'disabled, this directive has no longer an effect.'),
  e('H2ModernTLSOnly', 'TAKE1', RSRC_CONF, 'off to not impose RFC 7540 restrictions on TLS', onOff),
  e('H2Upgrade', 'TAKE1', RSRC_CONF | OR_AUTHCFG, 'on to allow HTTP/1 Upgrades to h2/h2c', onOff),
  e('H2Direct', 'TAKE1', RSRC_CONF, 'on to enable direct HTTP/2 mode', onOff),
  e('H2SessionExtraFiles', 'TAKE1', RSRC_CONF, 'number of extra file a session might keep open (obsolete)'),
  e('H2TLSWarmUpSize', 'TAKE1', RSRC_CONF, 'number of bytes on TLS connection before doing max writes'),
  e('H2TLSCoolDownSecs', 'TAKE1', RSRC_CONF, 'seconds of idle time on TLS before shrinking writes'),
  e('H2Push', 'TAKE1', RSRC_CONF | OR_AUTHCFG, 'off to disable HTTP/2 server push', onOff),
  e('H2PushPriority', 'TAKE23', RSRC_CONF, 'define priority of PUSHed resources per content type'),
  e('H2PushDiarySize', 'TAKE1', RSRC_CONF, 'size of push diary'),
  e('H2CopyFiles', 'TAKE1', OR_FILEINFO, 'on to perform copy of file data', onOff),
  e('H2PushResource', 'TAKE123', OR_FILEINFO | OR_AUTHCFG, 'add a resource to be pushed in this location/on this server.'),
  e('H2EarlyHints', 'TAKE1', RSRC_CONF, 'on to enable interim status 103 responses', onOff),
  e('H2Padding', 'TAKE1', RSRC_CONF, 'set payload padding'),
  e('H2OutputBuffering', 'TAKE1', RSRC_CONF, 'set stream output buffer on/off', onOff),
  e('H2StreamTimeout', 'TAKE1', RSRC_CONF, 'set stream timeout'),
  e('H2MaxDataFrameLen', 'TAKE1', RSRC_CONF, 'maximum number of bytes in a single HTTP/2 DATA frame'),
  e('H2MaxHeaderBlockLen', 'TAKE1', RSRC_CONF, 'maximum number of bytes in a response header block'),
  e('H2MaxStreamErrors', 'TAKE1', RSRC_CONF, 'maximum number of flow control errors tolerated'),
  e('H2EarlyHint', 'TAKE2', OR_FILEINFO | OR_AUTHCFG, "add a a 'Link:' header for a 103 Early Hints response."),
  e('H2ProxyRequests', 'TAKE1', OR_FILEINFO, 'Enables forward proxy requests via HTTP/2', onOff),
  e('H2WebSockets', 'TAKE1', RSRC_CONF, 'off to disable WebSockets over HTTP/2', onOff),
);
