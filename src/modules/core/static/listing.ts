/**
 * A directory listing for `Options Indexes` with mod_autoindex loaded, in the shape of
 * mod_autoindex's plain list (no FancyIndexing): the parent directory, then the entries in
 * name order, directories with a trailing slash, dot files left out.
 */
import { promises as fsp } from 'node:fs';
import type { HookResult, RequestContext } from '../../../runtime/server.js';
import { escapeHtml } from '../../../runtime/error-page.js';
import { escapePath } from './escape.js';
import { fsPath } from './state.js';

export async function directoryListing(ctx: RequestContext, dir: string): Promise<HookResult> {
  let entries: { name: string; isDir: boolean }[];
  try {
    const list = await fsp.readdir(fsPath(dir), { withFileTypes: true, encoding: 'buffer' });
    entries = list
      .map((e) => ({ name: e.name.toString('latin1'), isDir: e.isDirectory() }))
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return 'declined';
  }
  const title = escapeHtml(ctx.uri.length > 1 ? ctx.uri.replace(/\/$/, '') : ctx.uri);
  const parent = ctx.uri.replace(/[^/]*\/?$/, '') || '/';
  const items = entries.map((e) => {
    const n = e.name + (e.isDir ? '/' : '');
    return `<li><a href="${escapePath(n)}"> ${escapeHtml(n)}</a></li>`;
  });
  const body =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<html>\n <head>\n' +
    `  <title>Index of ${title}</title>\n </head>\n <body>\n<h1>Index of ${title}</h1>\n` +
    `<ul><li><a href="${escapePath(parent)}"> Parent Directory</a></li>\n${items.map((l) => l + '\n').join('')}</ul>\n</body></html>\n`;
  const buf = Buffer.from(body, 'latin1');
  const res = ctx.res;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html;charset=ISO-8859-1');
  res.setHeader('Content-Length', buf.length);
  res.end(ctx.method === 'HEAD' ? undefined : buf);
  return 'ok';
}
