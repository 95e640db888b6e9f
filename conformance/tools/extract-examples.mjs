#!/usr/bin/env node
// Turn the `<highlight language="config">` examples of the httpd manual into draft conformance
// cases: each block is wrapped in a minimal configuration (an MPM, ServerName, ErrorLog, Listen on
// a high port) plus LoadModule lines for the modules its directives belong to, and real Apache
// records the expected output. Drafts are then reviewed by hand and moved into conformance/cases/.
//
//   node conformance/tools/extract-examples.mjs [--out DIR] DOC.xml...
//
// DOC paths are relative to the manual's root (default /work/shared/reference/httpd-docs, or
// $HTTPD_DOCS). Drafts go to DIR (default /tmp/featherd-drafts), one directory per block,
// named <doc>-<nn>-<directive or section>.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { APACHE_BIN, APACHE_MISSING, pool, readCase, runApache, runProgram } from './harness.mjs';

const MODULE_DIR = '/usr/lib/apache2/modules';
const DOCS = process.env.HTTPD_DOCS ?? '/work/shared/reference/httpd-docs';
const HERE = resolve(new URL('.', import.meta.url).pathname);
const SRC_MODULES = resolve(HERE, '../../src/modules');

const args = process.argv.slice(2);
let out = '/tmp/featherd-drafts';
const docs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = resolve(args[++i]);
  else docs.push(args[i]);
}
if (!existsSync(APACHE_BIN)) {
  process.stderr.write(`${APACHE_MISSING}\n`);
  process.exit(2);
}
if (docs.length === 0) {
  process.stderr.write('usage: extract-examples.mjs [--out DIR] DOC.xml...\n');
  process.exit(2);
}

/**
 * Module identifiers featherd declares (src/modules/<name>/module.ts), in the load order of
 * src/modules/index.ts (httpd's usual order: mod_proxy before the modules that need it).
 */
function featherdModules() {
  const ids = new Set();
  const index = readFileSync(join(SRC_MODULES, 'index.ts'), 'utf8');
  const folders = [...index.matchAll(/from '\.\/([a-z0-9_]+)\/module\.js'/g)].map((m) => m[1]);
  for (const name of [...folders, ...readdirSync(SRC_MODULES)]) {
    const file = join(SRC_MODULES, name, 'module.ts');
    if (!existsSync(file)) continue;
    const m = /id:\s*'([a-z0-9_]+)'/.exec(readFileSync(file, 'utf8'));
    if (m) ids.add(m[1]);
  }
  return ids;
}

/** `mod_proxy.so` for `proxy_module`; undefined for modules compiled into apache2. */
function soFor(id) {
  const so = `mod_${id.replace(/_module$/, '')}.so`;
  return existsSync(join(MODULE_DIR, so)) ? so : undefined;
}

/** Lower-cased directive name → module id, from `apache2 -L` with every featherd module loaded. */
async function directiveMap(ids) {
  const dir = join(out, '.directive-map');
  mkdirSync(dir, { recursive: true });
  const lines = ['ServerName localhost', 'ErrorLog error.log'];
  const soToId = new Map();
  for (const id of ids) {
    if (/^mpm_(worker|prefork)_module$/.test(id)) continue;
    const so = soFor(id);
    if (!so) continue;
    lines.push(`LoadModule ${id} ${MODULE_DIR}/${so}`);
    soToId.set(so.replace(/\.so$/, '.c'), id);
  }
  writeFileSync(join(dir, 'httpd.conf'), `${lines.join('\n')}\n`);
  const { output } = await runProgram(APACHE_BIN, ['-L', '-d', dir, '-f', join(dir, 'httpd.conf')], { PATH: '/usr/bin:/bin' });
  const map = new Map();
  for (const line of output.split('\n')) {
    const m = /^(<?[A-Za-z0-9_]+) \(([a-z0-9_]+\.c)\)$/.exec(line);
    if (!m) continue;
    const id = soToId.get(m[2]);
    if (id) map.set(m[1].toLowerCase(), id);
  }
  return map;
}

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', mdash: '—', sect: '§' };
function decode(s) {
  return s.replace(/&([a-z]+);/g, (all, name) => ENTITIES[name] ?? all);
}

/** Every config example of a manual page with the directive or section title it appears under. */
function examples(xml) {
  const found = [];
  const re = /<highlight language="config">([\s\S]*?)<\/highlight>/g;
  let m;
  while ((m = re.exec(xml)) !== null) {
    const before = xml.slice(0, m.index);
    const names = [...before.matchAll(/<directivesynopsis[^>]*>\s*<name>([^<]+)<\/name>/g)];
    const titles = [...before.matchAll(/<title>([^<]+)<\/title>/g)];
    const lastName = names.at(-1);
    const lastTitle = titles.at(-1);
    let where = 'introduction';
    if (lastName && (!lastTitle || lastName.index > lastTitle.index)) where = lastName[1].trim();
    else if (lastTitle) where = lastTitle[1].trim();
    found.push({ where: where.replace(/\s+/g, ' '), text: decode(m[1]).replace(/^\n+/, '').replace(/\s+$/, '') });
  }
  return found;
}

/** Modules a block needs beyond its directives' own: providers, scheme handlers, lbmethods. */
function impliedModules(text) {
  const add = [];
  const has = (re) => re.test(text);
  if (has(/balancer:\/\//)) add.push('proxy_balancer_module', 'lbmethod_byrequests_module', 'slotmem_shm_module');
  for (const m of text.matchAll(/lbmethod=(\w+)/g)) add.push(`lbmethod_${m[1]}_module`);
  if (has(/\bhttps?:\/\//) && has(/^\s*(ProxyPass|ProxyPassMatch|BalancerMember|<Proxy|ProxySet|RewriteRule)/im)) add.push('proxy_http_module');
  if (has(/\bwss?:\/\//)) add.push('proxy_wstunnel_module');
  if (has(/\bfcgi:\/\//)) add.push('proxy_fcgi_module');
  if (has(/\bajp:\/\//)) add.push('proxy_ajp_module');
  if (has(/\bh2c?:\/\//)) add.push('proxy_http2_module');
  if (has(/\bhc(method|interval|uri|expr|template)=/i)) add.push('proxy_hcheck_module');
  if (has(/^\s*Require\s+(not\s+)?(ip|host|forward-dns|local)\b/im)) add.push('authz_host_module');
  if (has(/^\s*Require\s+(not\s+)?(user|valid-user)\b/im)) add.push('authz_user_module');
  if (has(/^\s*Require\s+(not\s+)?group\b/im)) add.push('authz_groupfile_module');
  if (has(/^\s*AuthType\s+Basic/im)) add.push('auth_basic_module', 'authn_file_module', 'authn_core_module');
  if (has(/^\s*SSL/im)) add.push('socache_shmcb_module');
  return add;
}

function slug(s) {
  return s.replace(/^</, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 40);
}

const ids = featherdModules();
mkdirSync(out, { recursive: true });
const map = await directiveMap(ids);
const made = [];
/** Write a draft case; `wrap` puts the example inside `<Location "/">` (for per-directory directives). */
function writeDraft(d, wrap) {
  const body = wrap ? `<Location "/">\n${d.text.replace(/^(?=.)/gm, '    ')}\n</Location>` : d.text;
  const conf = [`# ${d.source}`, ...d.loads, 'ServerName localhost', 'ErrorLog error.log', 'Listen 127.0.0.1:18080', '', body, ''];
  mkdirSync(d.dir, { recursive: true });
  writeFileSync(join(d.dir, 'httpd.conf'), conf.join('\n'));
  writeFileSync(join(d.dir, 'case.json'), `${JSON.stringify({ source: d.source, expect: {}, defines: [] }, null, 2)}\n`);
}
for (const doc of docs) {
  const xml = readFileSync(join(DOCS, doc), 'utf8');
  const base = basename(doc, '.xml');
  examples(xml).forEach((ex, i) => {
    const needed = new Set(['mpm_event_module']);
    for (const line of ex.text.split('\n')) {
      const word = line.trim().split(/\s+/)[0] ?? '';
      if (word === '' || word.startsWith('#') || word.startsWith('</')) continue;
      const id = map.get(word.replace(/>$/, '').toLowerCase());
      if (id) needed.add(id);
    }
    for (const id of impliedModules(ex.text)) if (ids.has(id)) needed.add(id);
    if ([...needed].some((id) => /^(proxy_|lbmethod_)/.test(id))) needed.add('proxy_module');
    const loads = [...ids]
      .filter((id) => needed.has(id) && soFor(id) !== undefined)
      .map((id) => `LoadModule ${id} ${MODULE_DIR}/${soFor(id)}`);
    const source = `${doc} example in ${ex.where} (block ${i + 1})`;
    const dir = join(out, `${base}-${String(i + 1).padStart(2, '0')}-${slug(ex.where)}`);
    const draft = { dir, source, loads, text: ex.text };
    writeDraft(draft, false);
    made.push(draft);
  });
}
await pool(made, 4, async (d) => {
  let c = readCase(d.dir);
  let expect = await runApache(c);
  if (/ not allowed here$/.test(expect.output)) {
    writeDraft(d, true);
    c = readCase(d.dir);
    expect = await runApache(c);
  }
  writeFileSync(join(d.dir, 'case.json'), `${JSON.stringify({ ...c.spec, expect }, null, 2)}\n`);
  process.stdout.write(`${c.name}: ${expect.verdict}${expect.verdict === 'ok' ? '' : `\n  ${expect.output.split('\n').join('\n  ')}`}\n`);
});
