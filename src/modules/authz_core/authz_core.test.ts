import { walkText } from './testing.js';
import { authzDirConfig, authzAliases } from './module.js';
import { checkConfig } from '../../config/load.js';

const MODS = ['authz_core_module', 'authz_host_module', 'authz_user_module', 'authz_groupfile_module'];

function err(body: string, mods = MODS): string | undefined {
  return walkText(`<Location />\n${body}\n</Location>`, mods).error;
}

describe('Require', () => {
  test.each([
    ['Require', 'Unknown Authz provider: '],
    ['Require foo', 'Unknown Authz provider: foo'],
    ['Require all', "Argument for 'Require all' must be 'granted' or 'denied'"],
    ['Require all x', "Argument for 'Require all' must be 'granted' or 'denied'"],
    ['Require not all granted', 'negative Require directive has no effect in <RequireAny> directive'],
    ['Require method FOO', "Invalid Method 'FOO'"],
    ['Require method get', "Invalid Method 'get'"],
    ['Require ip', "'require ip' requires an argument"],
    ['Require ip 1.2.3.4/40', "ip address '1.2.3.4/40' appears to be invalid: The specified network mask is invalid."],
    ['Require ip foo', "ip address 'foo' appears to be invalid"],
    ['Require ip ::ffff:1.2.3.4', "ip address '::ffff:1.2.3.4' appears to be invalid: The specified IP address is invalid."],
    ['Require ip 10.1/8', "ip address '10.1/8' appears to be invalid: The specified IP address is invalid."],
    ['Require expr', 'Cannot parse expression in require line: syntax error, unexpected $end'],
    ['<RequireAll>\n</RequireAll>', '<RequireAll> directive contains no authorization directives'],
    ['<RequireNone>\nRequire ip 1.2.3.4\n</RequireNone>', '<RequireNone> directive has no effect in <RequireAny> directive'],
    ['<RequireAll x>\nRequire ip 1.2.3.4\n</RequireAll>', "<RequireAll> directive doesn't take additional arguments"],
    ['<RequireAll>\n<RequireNone>\nRequire not ip 1.2.3.4\n</RequireNone>\n</RequireAll>', 'negative Require directive has no effect in <RequireNone> directive'],
    ['AuthMerging foo', 'AuthMerging must be one of: Off | And | Or'],
    ['AuthzSendForbiddenOnFailure foo', 'AuthzSendForbiddenOnFailure must be On or Off'],
  ])('%s', (body, message) => {
    expect(err(body)).toBe(message);
  });

  test('accepted forms', () => {
    for (const ok of [
      'Require all granted',
      'Require method GET HEAD PATCH MERGE BASELINE-CONTROL',
      'Require ip 10.1 ::1 fe80::/10 10.0.0.0/255.0.0.0 192.168.1.0/24',
      'Require local',
      'Require host example.org',
      'Require user alice bob',
      'Require valid-user',
      'Require group admins',
      'Require env FOO',
      'Require expr %{REMOTE_ADDR} == "127.0.0.1"',
    ]) {
      expect(err(ok)).toBeUndefined();
    }
  });

  test('providers need their module', () => {
    expect(err('Require ip 1.2.3.4', ['authz_core_module'])).toBe('Unknown Authz provider: ip');
    expect(err('Require valid-user', ['authz_core_module'])).toBe('Unknown Authz provider: valid-user');
  });

  test('Require is not allowed outside directory context', () => {
    expect(walkText('<VirtualHost *:80>\nRequire all granted\n</VirtualHost>', MODS).error).toBe('Require not allowed in <VirtualHost> context');
  });

  test('builds the authorization tree', () => {
    const { error, sections } = walkText(
      [
        '<Location />',
        'AuthMerging And',
        '<RequireAll>',
        'Require ip 10.0.0.0/8',
        'Require not env BLOCKED',
        '<RequireAll>',
        'Require method GET',
        '</RequireAll>',
        '</RequireAll>',
        '<Limit POST>',
        'Require user admin',
        '</Limit>',
        '</Location>',
      ].join('\n'),
      MODS,
    );
    expect(error).toBeUndefined();
    const found = authzDirConfig(sections[0].dirConfigs);
    expect(found?.merging).toBe('and');
    const root = found?.section;
    expect(root?.op).toBe('or');
    expect(root?.children.length).toBe(2);
    const all = root?.children[0];
    expect(all?.kind).toBe('section');
    if (all?.kind !== 'section') return;
    expect(all.op).toBe('and');
    // the nested <RequireAll> is merged into its parent (same operator)
    expect(all.children.map((c) => (c.kind === 'require' ? `${c.negate ? '!' : ''}${c.provider}` : 'section'))).toEqual(['ip', '!env', 'method']);
    const user = root?.children[1];
    expect(user?.kind === 'require' && user.limit).toEqual({ methods: ['POST'], except: false });
  });

  test('only negative directives in <RequireAll> is reported as AH01624 by the check after the walk', () => {
    const { error, state } = walkText('<Location />\n<RequireAll>\nRequire not ip 1.2.3.4\n</RequireAll>\n</Location>', MODS);
    expect(error).toBeUndefined();
    expect(state.diagnostics).toEqual([]);
    expect(checkConfig(state)).toEqual(
      expect.objectContaining({ severity: 'error', code: 'AH01624', message: '<RequireAll> directive contains only negative authorization directives', loc: expect.objectContaining({ line: 2 }) }),
    );
  });

  test('AH01624: the last container with such a section is reported, in it the first section closed', () => {
    const text = [
      '<Location /a>',
      '<RequireAll>',
      'Require not ip 1.2.3.4',
      '</RequireAll>',
      '</Location>',
      '<Location /b>',
      '<RequireAll>',
      '<RequireAll>',
      'Require not ip 1.2.3.4',
      '</RequireAll>',
      'Require not env X',
      '</RequireAll>',
      'Require ip 10.0.0.0/8',
      '</Location>',
    ].join('\n');
    const { error, state } = walkText(text, MODS);
    expect(error).toBeUndefined();
    expect(checkConfig(state)).toEqual(expect.objectContaining({ code: 'AH01624', loc: expect.objectContaining({ line: 8 }) }));
    const fine = walkText('<Location />\n<RequireAll>\nRequire not ip 1.2.3.4\nRequire ip 10.0.0.0/8\n</RequireAll>\n</Location>', MODS);
    expect(checkConfig(fine.state)).toBeUndefined();
  });

  test('AuthzProviderAlias', () => {
    const text = [
      '<AuthzProviderAlias ip lan "10.0.0.0/8 192.168.0.0/16">',
      '</AuthzProviderAlias>',
      '<Location />',
      'Require lan',
      '</Location>',
    ].join('\n');
    const { error, state } = walkText(text, MODS);
    expect(error).toBeUndefined();
    const alias = authzAliases(state.global).get('lan');
    expect(alias?.provider).toBe('ip');
    expect(alias?.parsed.provider).toBe('ip');
    expect(walkText('<AuthzProviderAlias ip lan "10.1/8">\n</AuthzProviderAlias>', MODS).error).toBe(
      "Can't parse 'Require ip 10.1/8': ip address '10.1/8' appears to be invalid: The specified IP address is invalid.",
    );
    expect(walkText('<AuthzProviderAlias ip>\n</AuthzProviderAlias>', MODS).error).toBe('<AuthzProviderAlias> directive requires additional arguments');
    expect(walkText('<AuthzProviderAlias nope x>\n</AuthzProviderAlias>', MODS).error).toBe('Unknown Authz provider: nope');
  });
});

