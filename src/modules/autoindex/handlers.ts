/** `FancyIndexing` is gone since httpd 2.0; its help string is the error. */
export function fancyIndexing() {
  return 'The FancyIndexing directive is no longer supported. Use IndexOptions FancyIndexing.';
}
