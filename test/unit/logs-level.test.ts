import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLevel } from '../../main/sources/logs/level';

test('finds a level word near the start, whole word, any case', () => {
  assert.equal(detectLevel('2024-01-31T10:00:00Z ERROR db: connection lost'), 'error');
  assert.equal(detectLevel('Jan 31 10:00:00 host app[12]: warning: disk 91% full'), 'warn');
  assert.equal(detectLevel('[WARN] slow'), 'warn');
  assert.equal(detectLevel('I info started'), 'info');
  assert.equal(detectLevel('debug: x=1'), 'debug');
  assert.equal(detectLevel('TRACE enter f()'), 'trace');
  assert.equal(detectLevel('<2> CRIT kernel'), 'fatal');
  assert.equal(detectLevel('FATAL out of memory'), 'fatal');
  assert.equal(detectLevel('E ERR bad request'), 'error');
});

test('no level for plain text, partial words, or a word far into the line', () => {
  assert.equal(detectLevel('plain text line'), undefined);
  assert.equal(detectLevel('information about errors'), undefined);
  assert.equal(detectLevel('x'.repeat(200) + ' ERROR'), undefined);
  assert.equal(detectLevel(''), undefined);
});

test('reads a JSON "level" field', () => {
  assert.equal(detectLevel('{"time":"2024-01-31T10:00:00Z","msg":"an error was retried","level":"info"}'), 'info');
  assert.equal(detectLevel('{"level":"WARNING","msg":"x"}'), 'warn');
  assert.equal(detectLevel('{"severity": "error"}'), 'error');
});

function check(cases: readonly (readonly [string, string | undefined])[]): void {
  for (const [line, expected] of cases) assert.equal(detectLevel(line), expected, line);
}

test('JSON numeric levels of pino and bunyan, custom levels in between', () => {
  check([
    ['{"level":10,"time":1706695200000,"msg":"x"}', 'trace'],
    ['{"level":20,"msg":"x"}', 'debug'],
    ['{"level":30,"msg":"x"}', 'info'],
    ['{"level":35,"msg":"x"}', 'info'],
    ['{"level":40,"msg":"x"}', 'warn'],
    ['{"level":50,"msg":"x"}', 'error'],
    ['{"level": 60,"msg":"x"}', 'fatal'],
    ['{"name":"app","hostname":"web-01","pid":4242,"level":50,"msg":"boom","time":"2024-01-31T10:00:00.000Z","v":0}', 'error'],
    ['{"level":5,"msg":"ERROR x"}', undefined],
    ['{"level":70,"msg":"x"}', undefined],
    ['{"level":100,"msg":"x"}', undefined],
    ['{"level":-10,"msg":"x"}', undefined],
  ]);
});

test('JSON level names of winston, zap, Serilog, Google Cloud, under level, lvl, severity, log.level, levelname', () => {
  check([
    ['{"level":"info","message":"x"}', 'info'],
    ['{"level":"warn","ts":1706695200.1,"msg":"x"}', 'warn'],
    ['{"level":"dpanic","msg":"x"}', 'fatal'],
    ['{"level":"panic","msg":"x"}', 'fatal'],
    ['{"level":"fatal","msg":"x"}', 'fatal'],
    ['{"Level":"Information","MessageTemplate":"x"}', 'info'],
    ['{"Level":"Verbose"}', 'trace'],
    ['{"lvl":"dbug","msg":"x"}', 'debug'],
    ['{"severity":"NOTICE","message":"x"}', 'info'],
    ['{"severity":"EMERGENCY","message":"x"}', 'fatal'],
    ['{"@timestamp":"2024-01-31T10:00:00.000Z","log.level":"warn","message":"x"}', 'warn'],
    ['{"asctime":"2024-01-31 10:00:00,123","levelname":"CRITICAL"}', 'fatal'],
    ['{ "level" : "error" }', 'error'],
  ]);
});

test('JSON: a level field decides even when its value is unknown; nested and far fields do not count', () => {
  check([
    ['{"severity":"DEFAULT","message":"ERROR in the message"}', undefined],
    ['{"level":"constructor"}', undefined],
    ['{"level":"' + 'x'.repeat(40) + '"}', undefined],
    ['{"level":null,"msg":"x"}', undefined],
    ['{"ctx":{"level":"error"},"level":"info"}', 'info'],
    ['{"msg":"a \\"level\\":\\"error\\" quoted","level":"debug"}', 'debug'],
    ['{"msg":"' + 'x'.repeat(600) + '","level":"error"}', undefined],
    // No level field: the word rule, over the first chars only.
    ['{"msg":"ERROR disk full"}', 'error'],
  ]);
});

test('logfmt level fields, before any level word', () => {
  check([
    ['level=error msg="x"', 'error'],
    ['lvl=warn msg=x', 'warn'],
    ['level="info" msg=x', 'info'],
    ['time=2024-01-31T10:00:00.000Z level=INFO msg="an error was retried"', 'info'],
    ['ts=2024-01-31T10:00:00.123Z caller=main.go:1 level=debug msg=x', 'debug'],
    ['msg="an error occurred" level=info', 'info'],
    ['logger=settings t=2024-01-31T10:00:00.1+0000 lvl=eror msg=x', 'error'],
    ['t=2024-01-31T10:00:00+0000 lvl=dbug msg=x', 'debug'],
    ['log.level=warn message=x', 'warn'],
    ['severity=critical x', 'fatal'],
    ['level=WARN+2 msg=x', 'warn'],
    ['level=unknown msg="ERROR"', undefined],
  ]);
});

test('syslog <PRI>: severity is PRI mod 8', () => {
  check([
    ['<0>kernel panic', 'fatal'],
    ['<1>x', 'fatal'],
    ['<2>x', 'fatal'],
    ['<3>failed to start', 'error'],
    ['<4>x', 'warn'],
    ['<5>x', 'info'],
    ['<6>x', 'info'],
    ['<7>x', 'debug'],
    ['<11>Jan 31 10:00:00 host app: x', 'error'],
    ['<14>1 2024-01-31T10:00:00Z host app - - - ERROR in the message', 'info'],
    ['<191>x', 'debug'],
    ['<34>1 2024-01-31T10:00:00.003Z mymachine su - ID47 - x', 'fatal'],
    ['<192> WARN x', 'warn'],
    ['<1234> x', undefined],
    ['<> x', undefined],
    ['<abc> x', undefined],
  ]);
});

test('glog/klog header letters', () => {
  check([
    ['I0131 10:00:00.123456   12345 main.go:10] started', 'info'],
    ['W0131 10:00:00.123456 1 main.go:10] x', 'warn'],
    ['E0131 10:00:00.123456 1 main.go:10] x', 'error'],
    ['F0131 10:00:00.123456 1 main.go:10] x', 'fatal'],
    ['E1234 was returned', undefined],
    ['I0131 started', undefined],
    ['X0131 10:00:00.123456 1 main.go:10] x', undefined],
  ]);
});

test('more level words near the start', () => {
  check([
    ['2024-01-31T10:00:00.123Z\tDPANIC\tmain.go:1\tx', 'fatal'],
    ['2024/01/31 10:00:00 [emerg] 1#0: bind() failed', 'fatal'],
    ['2024/01/31 10:00:00 [error] 12#0: *1 open() failed', 'error'],
    ['[Wed Jan 31 10:00:00.123456 2024] [core:warn] [pid 42] x', 'warn'],
    ['127.0.0.1 - - [31/Jan/2024:10:00:00 +0100] "GET / HTTP/1.1" 200 1234', undefined],
    ['we noticed an alert about severe weather', undefined],
  ]);
});

test('never throws on garbage', () => {
  let seed = 99;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const alphabet = '{}[]"\\:<>=0123456789 levlrsityIWEFinfo\u0000\u00e9\u{1F600}';
  for (let k = 0; k < 20_000; k++) {
    let s = '';
    for (let i = random(80); i > 0; i--) s += alphabet[random(alphabet.length)];
    const level = detectLevel(k % 2 === 0 ? s : '{"level":' + s);
    if (level !== undefined) assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(level), s);
  }
});

test('level words inside ANSI colour codes: pino-pretty, winston, logback, Spring Boot', () => {
  check([
    ['\x1b[31mERROR\x1b[0m failed to reach redis', 'error'],
    ['\x1b[1;31m[ERROR]\x1b[0m failed to reach redis', 'error'],
    ['[12:00:00.000] \x1b[31mERROR\x1b[39m (123): boom', 'error'],
    ['[12:00:00.000] \x1b[32mINFO\x1b[39m (123): \x1b[36mlistening on http://0.0.0.0:3000\x1b[39m', 'info'],
    ['[12:00:00.000] \x1b[41mFATAL\x1b[49m (123): out of memory', 'fatal'],
    ['[12:00:00.000] \x1b[90mTRACE\x1b[39m (123): enter', 'trace'],
    ['\x1b[31merror\x1b[39m: boom', 'error'],
    ['2026-12-07T05:00:00.000Z \x1b[33mwarn\x1b[39m: slow query', 'warn'],
    ['\x1b[32minfo\x1b[39m: an error was retried', 'info'],
    ['2026-12-07 05:00:00.123 \x1b[1;31mERROR\x1b[0;39m [main] c.e.App - boom', 'error'],
    ['2026-12-07 05:00:00.123 \x1b[31mERROR\x1b[0;39m 1234 --- [main] o.s.boot.SpringApplication : Application run failed', 'error'],
    [
      '\x1b[2m2026-12-07T05:00:00.123Z\x1b[0;39m \x1b[33m WARN\x1b[0;39m \x1b[35m1234\x1b[0;39m \x1b[2m---\x1b[0;39m ' +
        '\x1b[2m[myapp] [           main]\x1b[0;39m \x1b[36mo.s.b.a.OptionalLiveReloadServer\x1b[0;39m \x1b[2m:\x1b[0;39m x',
      'warn',
    ],
    ['\x1b[38;5;196mCRITICAL\x1b[0m disk failure', 'fatal'],
    ['\x1b[1mhello\x1b[22m world', undefined],
    ['\x1b[31merrors\x1b[0m: 3', undefined],
    ['x'.repeat(100) + '\x1b[31mERROR\x1b[0m', undefined],
  ]);
});

test('error and application logs as the tools print them', () => {
  check([
    // nginx error log
    [
      '2026/12/07 05:00:00 [error] 123#0: *1 connect() failed (111: Connection refused) while connecting to upstream, ' +
        'client: 1.2.3.4, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"',
      'error',
    ],
    ['2026/12/07 05:00:00 [warn] 123#0: *1 an upstream response is buffered to a temporary file', 'warn'],
    ['2026/12/07 05:00:00 [crit] 123#0: *1 SSL_do_handshake() failed', 'fatal'],
    ['2026/12/07 05:00:00 [notice] 1#1: signal process started', undefined],
    // Apache error log
    [
      '[Mon Dec 07 05:00:00.123456 2026] [proxy:error] [pid 1234:tid 140245] (111)Connection refused: AH00957: ' +
        'http: attempt to connect to 127.0.0.1:8080 (127.0.0.1:8080) failed',
      'error',
    ],
    ['[Mon Dec 07 05:00:00.123456 2026] [core:warn] [pid 1] AH00098: pid file /run/httpd.pid overwritten', 'warn'],
    ['[Mon Dec 07 05:00:00.123456 2026] [php:error] [pid 1] [client 1.2.3.4:5678] PHP Fatal error:  x in /a.php', 'error'],
    // Rails
    ['E, [2026-12-07T05:00:00.123456 #123] ERROR -- : boom', 'error'],
    ['W, [2026-12-07T05:00:00.123456 #123]  WARN -- : slow', 'warn'],
    ['I, [2026-12-07T05:00:00.123456 #123]  INFO -- : Started GET "/" for 127.0.0.1 at 2026-12-07 05:00:00 +0000', 'info'],
    ['F, [2026-12-07T05:00:00.123456 #123] FATAL -- : out of memory', 'fatal'],
    // Python logging: basicConfig's and a common format
    ['ERROR:root:boom', 'error'],
    ['WARNING:urllib3.connectionpool:Retrying (Retry(total=2)) after connection broken', 'warn'],
    ['CRITICAL:app:database unreachable', 'fatal'],
    ['INFO:uvicorn.error:Started server process [1]', 'info'],
    ['2026-12-07 05:00:00,123 - app.db - ERROR - connection lost', 'error'],
    // glog/klog
    ['E1207 05:00:00.123456       1 main.go:10] boom', 'error'],
    ['I1207 05:00:00.123456       1 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-scheduler...', 'info'],
    ['E1207 05:00:00.123456       1 reflector.go:150] "Failed to watch" err="the server could not find the requested resource"', 'error'],
    // log4j %-5level, logback's default, Spring Boot's
    ['2026-12-07 05:00:00,123 WARN  [main] com.example.App - slow', 'warn'],
    ['2026-12-07 05:00:00,123 INFO  [main] com.example.App - an error was retried', 'info'],
    ['05:00:00.123 [main] ERROR com.example.App - boom', 'error'],
    ['2026-12-07 05:00:00.123 DEBUG 1234 --- [main] o.s.w.s.DispatcherServlet : x', 'debug'],
    // Brackets and tags
    ['[ERROR] boom', 'error'],
    ['[error] boom', 'error'],
    ['<error> boom', 'error'],
    // journald's short format has no level
    ['Dec 07 05:00:00 web-01 systemd[1]: Started nginx.service - A high performance web server.', undefined],
  ]);
});
