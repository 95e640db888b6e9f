import { walkText } from '../authz_core/testing.js';
import { authBasicConfig } from './module.js';
import { authnFileConfig } from '../authn_file/module.js';
import { authzGroupfileConfig } from '../authz_groupfile/module.js';
import { authnAliases } from '../authn_core/module.js';

const MODS = ['authz_core_module', 'auth_basic_module', 'authn_core_module', 'authn_file_module', 'authz_user_module', 'authz_groupfile_module'];
const err = (body: string, mods = MODS) => walkText(`<Location />\n${body}\n</Location>`, mods, '/srv/root').error;

describe('authentication modules', () => {
  test.each([
    ['AuthUserFile /x y', 'AuthUserFile takes one argument, text file containing user IDs and passwords'],
    ['AuthGroupFile /x y', 'AuthGroupFile takes one argument, text file containing group names and member user IDs'],
    ['AuthName', 'AuthName takes one argument, the authentication realm (e.g. "Members Only")'],
    ['AuthType a b', 'AuthType takes one argument, an HTTP authorization type (e.g., "Basic")'],
    ['AuthBasicFake a b c', "AuthBasicFake takes 1-2 arguments, Fake basic authentication using the given expressions for username and password, 'off' to disable. Password defaults to 'password' if missing."],
    ['AuthBasicUseDigestAlgorithm foo', 'Invalid algorithm in AuthBasicUseDigestAlgorithm: foo'],
    ['AuthBasicProvider foo', 'Unknown Authn provider: foo'],
    ['AuthBasicAuthoritative maybe', 'AuthBasicAuthoritative must be On or Off'],
  ])('%s', (body, message) => expect(err(body)).toBe(message));

  test('file provider needs mod_authn_file', () => {
    expect(err('AuthBasicProvider file', ['authz_core_module', 'auth_basic_module', 'authn_core_module'])).toBe('Unknown Authn provider: file');
  });

  test('records', () => {
    const { error, sections } = walkText(
      '<Location />\nAuthType Basic\nAuthName "Members Only"\nAuthBasicProvider file\nAuthUserFile conf/users\nAuthGroupFile /etc/groups\nRequire valid-user\n</Location>',
      MODS,
      '/srv/root',
    );
    expect(error).toBeUndefined();
    const set = sections[0].dirConfigs;
    expect(authBasicConfig(set)?.providers).toEqual(['file']);
    expect(authnFileConfig(set)?.userFile).toBe('/srv/root/conf/users');
    expect(authzGroupfileConfig(set)?.groupFile).toBe('/etc/groups');
  });

  test('AuthnProviderAlias', () => {
    const text = '<AuthnProviderAlias file staff>\nAuthUserFile /etc/staff\n</AuthnProviderAlias>\n<Location />\nAuthBasicProvider staff file\n</Location>';
    const { error, state } = walkText(text, MODS);
    expect(error).toBeUndefined();
    expect(authnAliases(state.global).get('staff')?.provider).toBe('file');
    expect(walkText('<AuthnProviderAlias file file>\n</AuthnProviderAlias>', MODS).error).toBe(
      'The alias provider name must be different from the base provider name.',
    );
    expect(walkText('<AuthnProviderAlias nope x>\n</AuthnProviderAlias>', MODS).error).toBe('Unknown Authn provider: nope');
    expect(walkText('<AuthnProviderAlias file>\n</AuthnProviderAlias>', MODS).error).toBe('<AuthnProviderAlias> directive requires additional arguments');
  });
});
