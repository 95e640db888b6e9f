/**
 * Every config example of the httpd manual pages of mod_proxy, mod_proxy_balancer and
 * mod_proxy_hcheck gives the same configtest result in featherd as in real `apache2 -t`.
 */
import { compare } from './test/apache.js';
import { docExamples } from './test/doc-examples.js';
import { BASE_MODULES } from './test/load.js';

const MODULES = [
  ...BASE_MODULES, 'lbmethod_bytraffic', 'proxy_hcheck', 'proxy_ajp', 'proxy_fcgi', 'proxy_wstunnel',
  'authz_host', 'authn_core', 'authz_user', 'rewrite', 'headers', 'env', 'status',
];

describe('manual examples', () => {
  test('all examples are here', () => {
    expect(docExamples).toHaveLength(53);
  });
  test.each(docExamples)('%s', (_name, body) => {
    const { apache, featherd } = compare(body, MODULES);
    expect(featherd).toEqual(apache);
  });
});
