/**
 * `<IfVersion [[!]operator] version>` (modules/metadata/mod_version.c start_ifversion).
 * `words` are the TAKE123 arguments including the closing `>`; the result is whether the
 * body is read, or httpd's error message.
 */

const INVALID =
  'Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.';

interface Version {
  major: number;
  minor: number;
  patch: number;
}

function parseServerVersion(v: string): { version: Version; text: string } {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(v);
  const version = m
    ? { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) }
    : { major: 2, minor: 4, patch: 71 };
  const add = m ? m[4] : '';
  return { version, text: `${version.major}.${version.minor}.${version.patch}${add}` };
}

/** compare_version: -1, 0 or 1, or the error message. */
function compareVersion(s: string, server: Version): number | string {
  const m = /^(\d+)(?:\.(\d+)(?:\.(\d+))?)?$/.exec(s);
  if (!m) return INVALID;
  const v = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const sv = [server.major, server.minor, server.patch];
  for (let i = 0; i < 3; i++) {
    if (sv[i] < v[i]) return -1;
    if (sv[i] > v[i]) return 1;
  }
  return 0;
}

function matchVersion(re: string, serverText: string): boolean | string {
  try {
    return new RegExp(re).test(serverText);
  } catch {
    return 'Unable to compile regular expression';
  }
}

export function evalIfVersion(words: string[], serverVersion: string): boolean | string {
  const server = parseServerVersion(serverVersion);
  let arg1: string = words[0];
  let arg2: string | undefined = words[1];
  let arg3: string | undefined = words[2];
  if (arg2 === undefined || arg2 === '') {
    arg2 = arg1;
    arg1 = '=';
  }
  if ((arg3 === undefined || arg3 === '') && arg2 === '>') {
    arg3 = '>';
    arg2 = arg1;
    arg1 = '=';
  }
  const closedBy3 = arg3 === '>';
  let endp = arg2.length;
  if (endp === 0 || (!closedBy3 && arg2[--endp] !== '>')) {
    return "<IfVersion> directive missing closing '>'";
  }
  let p = 0;
  let reverse = false;
  if (arg1[0] === '!') {
    reverse = true;
    if (arg1.length > 1) p = 1;
  }
  const c = arg1[p];
  const tail = arg1.slice(p + 1);
  let match = false;
  let done = false;
  if (tail === '' || (tail === '=' && c !== '~')) {
    done = true;
    let start = 0;
    let regex: string | undefined;
    switch (c) {
      case '=': {
        if (arg2[0] !== '/') {
          const cmp = compareVersion(arg2.slice(0, endp), server.version);
          if (typeof cmp === 'string') return cmp;
          match = cmp === 0;
          break;
        }
        start = 1;
        if (endp === start || arg2[endp - 1] !== '/') return 'Missing delimiting / of regular expression.';
        regex = arg2.slice(start, endp - 1);
        break;
      }
      case '~':
        regex = arg2.slice(0, endp);
        break;
      case '<':
      case '>': {
        const cmp = compareVersion(arg2.slice(0, endp), server.version);
        if (typeof cmp === 'string') return cmp;
        const want = c === '<' ? -1 : 1;
        match = cmp === want || (tail !== '' && cmp === 0);
        break;
      }
      default:
        done = false;
    }
    if (regex !== undefined) {
      const r = matchVersion(regex, server.text);
      if (typeof r === 'string') return r;
      match = r;
    }
  }
  if (!done) return `unrecognized operator '${arg1}'`;
  return reverse ? !match : match;
}
