import { coreDir, coreSections, coreServer } from './config.js';
import { effectiveOptions, mergeCoreDir, mergeCoreServer } from './merge.js';
import { cleanup, loadSnippet } from './testing.js';

test('a vhost inherits unset server values and the main server sections come first', () => {
  const s = loadSnippet(
    'ServerName main.example:8080\nTimeout 60\nLogLevel warn alias:debug\n<Location /a>\n</Location>\n' +
      '<VirtualHost *:80>\nServerName v.example\nKeepAlive Off\nLogLevel info\n<Location /b>\n</Location>\n</VirtualHost>',
    { modules: ['alias'] },
  );
  expect(s.errorText).toBeUndefined();
  const st = s.result.state!;
  const m = mergeCoreServer(coreServer(st.mainServer), coreServer(st.vhosts[0]));
  expect(m.timeout).toBe(60);
  expect(m.keepAlive).toBe(false);
  expect(m.serverName?.host).toBe('v.example');
  expect(m.port).toBe(8080);
  expect(m.logLevel.level).toBe('info');
  expect([...m.logLevel.modules]).toEqual([['alias_module', 'debug']]);
  expect(m.sections.map((x) => x.path)).toEqual(['/a', '/b']);
  cleanup(s);
});

test('Options +/- merge over explicit sets; ErrorDocument maps merge per status', () => {
  const s = loadSnippet(
    '<Directory />\nOptions Indexes ExecCGI\nErrorDocument 404 /a\nErrorDocument 500 /b\n</Directory>\n' +
      '<Directory /srv>\nOptions -Indexes +MultiViews\nErrorDocument 404 /c\n</Directory>',
  );
  expect(s.errorText).toBeUndefined();
  const [root, srv] = coreSections(s.result.state!.mainServer).map((x) => coreDir(x.dirConfigs));
  const m = mergeCoreDir(root, srv);
  expect([...effectiveOptions(m.options)].sort()).toEqual(['ExecCGI', 'MultiViews']);
  expect([...m.errorDocuments].map(([k, v]) => [k, v.value])).toEqual([
    [404, '/c'],
    [500, '/b'],
  ]);
  expect([...effectiveOptions(undefined)]).toEqual(['FollowSymLinks']);
  cleanup(s);
});
