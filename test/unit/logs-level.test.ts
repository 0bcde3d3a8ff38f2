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

test('every level word, in any case, bare or in a colour code, is told by its letters as the word list says', () => {
  const words: Record<string, string> = {
    trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', err: 'error', error: 'error',
    fatal: 'fatal', crit: 'fatal', critical: 'fatal', panic: 'fatal', dpanic: 'fatal', emerg: 'fatal',
  };
  for (const [word, level] of Object.entries(words)) {
    for (const spelt of [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]) {
      assert.equal(detectLevel(`2024-01-31T10:00:00Z ${spelt} x`), level, spelt);
      assert.equal(detectLevel(`2024-01-31T10:00:00Z \x1b[31m${spelt}\x1b[0m x`), level, `coloured ${spelt}`);
    }
  }
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

test('never throws on garbage made of the pieces the status and colour checks look for', () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pieces = ['HTTP/', '1', '.', '"', ' ', '500', '2000', '\\', '\x1b[', '31', ';', 'm', '"status"', ':', 'status=', '{', '}', 'info', 'ERROR'];
  for (let k = 0; k < 20_000; k++) {
    let s = k % 3 === 0 ? '{' : k % 3 === 1 ? '<14>' : '';
    for (let i = random(40); i > 0; i--) s += pieces[random(pieces.length)];
    const level = detectLevel(s);
    if (level !== undefined) assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(level), s);
  }
});

test('level words inside ANSI colour codes: pino-pretty, winston, logback, Spring Boot', () => {
  check([
    ['\x1b[31mERROR\x1b[0m failed to reach redis', 'error'],
    ['\x1b[1;31m[ERROR]\x1b[0m failed to reach redis', 'error'],
    ['[12:00:00.000] \x1b[31mERROR\x1b[39m (123): boom', 'error'],
    ['[12:00:00.000] \x1b[32mINFO\x1b[39m (123): \x1b[36mlistening on http://0.0.0.0:3000\x1b[39m', 'info'],
    ['\x1b[33MWARN\x1b[0m disk almost full on /mnt', 'warn'],
    ['\x1b[1;33mdebug\x1b[0m warming up', 'debug'],
    ['\x1b[0mtrace: \x1b[2mcritical path', 'trace'],
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

test('access logs: the status after the request line, 5xx error, 4xx warn, others none', () => {
  check([
    // nginx combined
    ['203.0.113.7 - - [07/Dec/2026:05:00:00 +0000] "GET /api/orders HTTP/1.1" 502 157 "-" "curl/8.5.0"', 'error'],
    ['203.0.113.7 - - [07/Dec/2026:05:00:00 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "-" "Mozilla/5.0"', 'warn'],
    ['203.0.113.7 - - [07/Dec/2026:05:00:00 +0000] "POST /api/cart HTTP/1.1" 499 0 "-" "okhttp/4.12.0"', 'warn'],
    ['203.0.113.7 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"', undefined],
    ['203.0.113.7 - - [07/Dec/2026:05:00:00 +0000] "GET /app.js HTTP/1.1" 304 0 "https://example.com/" "Mozilla/5.0"', undefined],
    // Apache common, and vhost_combined
    ['127.0.0.1 - frank [07/Dec/2026:05:00:00 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326', undefined],
    ['127.0.0.1 - frank [07/Dec/2026:05:00:00 -0700] "GET /cgi-bin/app HTTP/1.0" 500 531', 'error'],
    ['example.com:443 1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/2.0" 404 0 "-" "Mozilla/5.0"', 'warn'],
    // Apache writes a quote in the request as \"
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /search?q=\\"x\\" HTTP/1.1" 503 299', 'error'],
    // The request line starts past the level words' 96 chars.
    [
      'intranet.example.com:443 2001:0db8:85a3:0000:0000:8a2e:0370:7334 - alice.w@example.com ' +
        '[07/Dec/2026:05:00:00 +0000] "POST /api/v2/upload HTTP/1.1" 413 0',
      'warn',
    ],
    // Traefik's default (CLF), gunicorn's, Python http.server's, HTTP/2 and /3
    ['192.168.1.1 - - [07/Dec/2026:05:00:00 +0000] "GET /whoami HTTP/1.1" 502 11 "-" "curl/8.5.0" 42 "whoami@docker" "http://172.18.0.3:80" 3ms', 'error'],
    ['127.0.0.1 - - [07/Dec/2026:05:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.30"', undefined],
    ['127.0.0.1 - - [07/Dec/2026 05:00:00] "GET /missing HTTP/1.1" 404 -', 'warn'],
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/2" 503 0', 'error'],
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/3" 429 0', 'warn'],
    // uvicorn: its access logger says INFO for every request
    ['INFO:     127.0.0.1:51234 - "GET /items/7 HTTP/1.1" 500 Internal Server Error', 'error'],
    ['INFO:     127.0.0.1:51234 - "GET /items/7 HTTP/1.1" 200 OK', 'info'],
    // nginx writing to syslog: the <PRI> says info (6) for every request
    ['<190>Dec  7 05:00:00 web-01 nginx: 1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0"', 'error'],
    ['<190>Dec  7 05:00:00 web-01 nginx: 1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"', 'info'],
  ]);
});

test('access logs: the status is looked for in the first 2 KiB; a request that is not HTTP has none', () => {
  const longRequest = (chars: number) =>
    '1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /search?q=' + 'a'.repeat(chars) + ' HTTP/1.1" 500 12';
  check([
    [longRequest(1500), 'error'],
    [longRequest(2100), undefined],
    // nginx's lines for a TLS hello on a plain port, and for a connection closed before a request
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "\\x16\\x03\\x01\\x00\\xF7\\x01\\x00\\x00" 400 157 "-" "-"', undefined],
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "-" 400 0 "-" "-"', undefined],
  ]);
});

test("access logs: numbers and level words in the request line are the URL's", () => {
  check([
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /items/500 HTTP/1.1" 200 512 "-" "curl/8.5.0"', undefined],
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /error HTTP/1.1" 200 512 "-" "curl/8.5.0"', undefined],
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /fatal?level=error HTTP/1.1" 304 0 "-" "ERROR-bot/1.0"', undefined],
    ['1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET /error HTTP/1.1" 500 512 "-" "curl/8.5.0"', 'error'],
    ['INFO:     127.0.0.1:51234 - "GET /error HTTP/1.1" 200 OK', 'info'],
    // A 3-digit number elsewhere is not a status.
    ['2026-12-07 05:00:00 INFO processed 500 items', 'info'],
    ['retrying in 503 ms', undefined],
    ['GET /orders 500 12.345 ms - 52', undefined],
  ]);
});

test('JSON access logs: Caddy status, Traefik DownstreamStatus, nginx JSON templates', () => {
  const caddy = (level: string, status: number) =>
    `{"level":"${level}","ts":1796706000.123,"logger":"http.log.access.log0","msg":"handled request",` +
    '"request":{"remote_ip":"1.2.3.4","remote_port":"51234","client_ip":"1.2.3.4","proto":"HTTP/2.0","method":"GET",' +
    '"host":"example.com","uri":"/api/error","headers":{"User-Agent":["curl/8.5.0"],"Accept":["*/*"]},' +
    '"tls":{"resumed":false,"version":772,"cipher_suite":4865,"proto":"h2","server_name":"example.com"}},' +
    `"bytes_read":0,"user_id":"","duration":0.0123,"size":0,"status":${status},"resp_headers":{"Server":["Caddy"]}}`;
  const traefik = (status: number) =>
    '{"ClientAddr":"172.18.0.1:54321","ClientHost":"172.18.0.1","ClientPort":"54321","ClientUsername":"-",' +
    `"DownstreamContentSize":21,"DownstreamStatus":${status},"Duration":1234567,"OriginContentSize":21,` +
    `"OriginDuration":1200000,"OriginStatus":${status},"Overhead":34567,"RequestAddr":"whoami.localhost",` +
    '"RequestContentSize":0,"RequestCount":42,"RequestHost":"whoami.localhost","RequestMethod":"GET","RequestPath":"/",' +
    '"RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"RouterName":"whoami@docker",' +
    '"ServiceAddr":"172.18.0.3:80","ServiceName":"whoami@docker","ServiceURL":"http://172.18.0.3:80",' +
    '"StartLocal":"2026-12-07T05:00:00.123456789Z","StartUTC":"2026-12-07T05:00:00.123456789Z","entryPointName":"web",' +
    '"level":"info","msg":"","time":"2026-12-07T05:00:00Z"}';
  const nginx = (status: string) =>
    '{"time_local":"07/Dec/2026:05:00:00 +0000","remote_addr":"1.2.3.4","request":"GET /error HTTP/1.1",' +
    `"status": ${status},"body_bytes_sent":"612","http_user_agent":"curl/8.5.0"}`;
  check([
    // Caddy says error from 500 up, info below.
    [caddy('error', 502), 'error'],
    [caddy('info', 404), 'warn'],
    [caddy('info', 200), 'info'],
    // Traefik says info for every request (here past the 512 chars a level field is looked for in).
    [traefik(502), 'error'],
    [traefik(404), 'warn'],
    [traefik(200), undefined],
    ['{"DownstreamStatus":503,"RequestPath":"/","level":"info","msg":"","time":"2026-12-07T05:00:00Z"}', 'error'],
    ['{"DownstreamStatus":200,"RequestPath":"/","level":"info","msg":"","time":"2026-12-07T05:00:00Z"}', 'info'],
    // No level field: the status decides, and the words are the request's.
    [nginx('"503"'), 'error'],
    [nginx('404'), 'warn'],
    [nginx('"200"'), undefined],
  ]);
});

test('which wins: a stated level stands, except info, which gives way to a 4xx or 5xx; with none the status decides', () => {
  check([
    ['{"level":"warn","msg":"upstream slow","status":503}', 'warn'],
    ['{"level":"error","msg":"handler failed","status":200}', 'error'],
    ['{"level":"debug","msg":"request","status":500}', 'debug'],
    ['{"level":"info","msg":"request","status":500}', 'error'],
    ['{"level":"info","msg":"job finished","status":"done"}', 'info'],
    ['{"severity":"DEFAULT","status":502}', 'error'],
    // Only a top-level status field counts, not one nested or inside a string.
    ['{"level":"info","upstream":{"status":502},"status":200}', 'info'],
    ['{"level":30,"msg":"request completed","res":{"statusCode":500}}', 'info'],
    ['{"msg":"a \\"status\\":500 quoted","level":"info"}', 'info'],
    ['level=warn msg="upstream slow" status=503', 'warn'],
    ['2026-12-07 05:00:00 ERROR payment failed status=200', 'error'],
    ['2026-12-07 05:00:00 DEBUG upstream answered status=503', 'debug'],
    ['<15>Dec  7 05:00:00 web-01 app: 1.2.3.4 - - [07/Dec/2026:05:00:00 +0000] "GET / HTTP/1.1" 500 0', 'debug'],
  ]);
});

test('logfmt status fields: lograge, Grafana', () => {
  check([
    [
      'I, [2026-12-07T05:00:00.123456 #123]  INFO -- : method=GET path=/orders format=html ' +
        'controller=OrdersController action=index status=500 duration=12.30 view=0.00 db=1.20',
      'error',
    ],
    ['method=GET path=/orders/7 format=html controller=OrdersController action=show status=404 duration=3.10', 'warn'],
    [
      'logger=context userId=1 orgId=1 uname=admin t=2026-12-07T05:00:00.123+00:00 level=info msg="Request Completed" ' +
        'method=GET path=/api/dashboards status=502 remote_addr=1.2.3.4 time_ms=12 duration=12.3ms size=0',
      'error',
    ],
    ['method=GET path=/ status=200 duration=1.2', undefined],
    ['method=GET upstream_status=502 status=200', undefined],
    ['level=info msg="status=500 in the body"', 'info'],
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
