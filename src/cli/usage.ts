/**
 * The usage text: httpd's lines first and unchanged in shape (server/main.c `usage()`), then
 * what featherd adds.
 */
export function usageText(bin: string): string {
  const pad = ' '.repeat(bin.length);
  const lines = [
    `Usage: ${bin} [-D name] [-d directory] [-f file]`,
    `       ${pad} [-C "directive"] [-c "directive"]`,
    `       ${pad} [-k start|restart|graceful|graceful-stop|stop]`,
    `       ${pad} [-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]`,
    'Options:',
    '  -D name            : define a name for use in <IfDefine name> directives',
    '  -d directory       : specify an alternate initial ServerRoot',
    '  -f file            : specify an alternate ServerConfigFile',
    '  -C "directive"     : process directive before reading config files',
    '  -c "directive"     : process directive after reading config files',
    '  -e level           : show startup errors of level (see LogLevel)',
    '  -E file            : log startup errors to file',
    '  -v                 : show version number',
    '  -V                 : show compile settings',
    '  -h                 : list available command line options (this page)',
    '  -l                 : list compiled in modules',
    '  -L                 : list available configuration directives',
    '  -t -D DUMP_VHOSTS  : show parsed vhost settings',
    '  -t -D DUMP_RUN_CFG : show parsed run settings',
    '  -S                 : a synonym for -t -D DUMP_VHOSTS -D DUMP_RUN_CFG',
    '  -t -D DUMP_MODULES : show all loaded modules ',
    '  -M                 : a synonym for -t -D DUMP_MODULES',
    '  -t -D DUMP_INCLUDES: show all included configuration files',
    '  -t                 : run syntax check for config files',
    '  -T                 : start without DocumentRoot(s) check',
    '  -X                 : debug mode (only one worker, do not detach)',
    `${bin} options:`,
    '  --format FORMAT    : lint findings as text (on stderr), json or sarif (on stdout)',
    '  --no-lint          : no lint findings: only what httpd itself reports',
    'Running: featherd always stays in the foreground, as httpd does with -DFOREGROUND or -X;',
    '         -k start serves in the calling process, and -k stop|graceful-stop|restart|graceful',
    '         signal the featherd named in the PidFile (TERM, WINCH, HUP, USR1).',
    'Defaults: ServerRoot is the current directory unless -d is given;',
    '          the config file is conf/httpd.conf relative to the ServerRoot unless -f is given.',
  ];
  return lines.join('\n') + '\n';
}
