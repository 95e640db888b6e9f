/** Declarations for the CommonJS password-hash packages used by password.ts (they ship no types). */
declare module 'apache-md5' {
  /** `$apr1$` MD5 hash of `password`; with `salt` (a whole `$apr1$salt$…` hash) the salt is reused. */
  export default function apacheMd5(password: string, salt?: string): string;
}
declare module 'apache-crypt' {
  /** Traditional DES crypt(3) of `password`; the first two characters of `salt` are the salt. */
  export default function apacheCrypt(password: string, salt?: string): string;
}
