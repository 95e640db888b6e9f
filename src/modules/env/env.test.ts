import { envOf } from './module.js';
import { coreSections } from '../core/config.js';
import { bodyLine, cleanup, loadSnippet } from '../core/testing.js';

test.each([
  ['SetEnv', 'SetEnv takes 1-2 arguments, an environment variable name and optional value to pass to CGI.'],
  ['SetEnv A B C', 'SetEnv takes 1-2 arguments, an environment variable name and optional value to pass to CGI.'],
  ['UnsetEnv', 'UnsetEnv requires at least one argument, a list of variables to remove from the CGI environment.'],
  ['PassEnv', 'PassEnv requires at least one argument, a list of environment variables to pass to CGI.'],
])('%s (as apache2 -t)', (body, message) => {
  const opts = { modules: ['env'] };
  const s = loadSnippet(body, opts);
  expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine(opts)} of ${s.file}:\n${message}`);
  cleanup(s);
});

test('SetEnv, UnsetEnv and PassEnv per context; an undefined PassEnv variable is warning AH01506', () => {
  process.env.FEATHERD_ENV_TEST = 'from-env';
  const s = loadSnippet('SetEnv A 1\nSetEnv B\nPassEnv FEATHERD_ENV_TEST FEATHERD_NOT_SET_XYZ\n<Location />\nUnsetEnv A\n</Location>', {
    modules: ['env'],
  });
  delete process.env.FEATHERD_ENV_TEST;
  expect(s.errorText).toBeUndefined();
  const st = s.result.state!;
  expect([...envOf(st.mainServer.dirConfigs)!.vars]).toEqual([
    ['A', '1'],
    ['B', ''],
    ['FEATHERD_ENV_TEST', 'from-env'],
  ]);
  expect([...envOf(coreSections(st.mainServer)[0].dirConfigs)!.vars]).toEqual([['A', null]]);
  expect(s.result.diagnostics).toContainEqual(
    expect.objectContaining({ code: 'AH01506', message: 'PassEnv variable FEATHERD_NOT_SET_XYZ was undefined' }),
  );
  cleanup(s);
});
