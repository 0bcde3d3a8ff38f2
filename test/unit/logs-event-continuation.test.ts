import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventContinuation, MAX_CONTINUATION_LINES } from '../../main/sources/logs/event-continuation';
import { parseLineTimestamp } from '../../main/sources/logs/timestamp';
import { collectGarbage } from '../helpers/collect-garbage';

const NOW = Date.UTC(2026, 11, 7, 12);

/**
 * `marked`: one log line per line, each after a mark, `+` when it continues the event before it, `-` when it
 * does not. The lines go through one detector in order, with `hasOwnTime` as the tailer gets it.
 */
function check(marked: string, detector = new EventContinuation()): void {
  const rows = marked.split('\n').slice(1, -1);
  const lines = rows.map((row) => row.slice(2));
  const got = lines.map((text) => detector.continues(text, parseLineTimestamp(text, NOW) !== undefined));
  const shown = (cont: boolean, text: string) => `${cont ? '+' : '-'} ${text}`;
  assert.deepEqual(
    lines.map((text, i) => shown(got[i]!, text)),
    rows.map((row, i) => shown(row[0] === '+', lines[i]!)),
  );
}

test('nothing open: the first line, and the first after a reset, continues nothing', () => {
  const detector = new EventContinuation();
  assert.equal(detector.continues('\tat com.x.Y.method(Y.java:42)', false), false);
  assert.equal(detector.continues('\tat com.x.Y.other(Y.java:50)', false), true);
  detector.reset();
  assert.equal(detector.continues('Caused by: java.lang.IllegalStateException: msg', false), false);
  detector.reset();
  assert.equal(detector.continues('', false), false);
  assert.equal(detector.continues('    at main (/app/a.js:4:19)', false), true);
});

test('a line with its own time heads an event, whatever it looks like', () => {
  const detector = new EventContinuation();
  assert.equal(detector.continues('2026-12-07 05:00:00.123 ERROR failed', true), false);
  assert.equal(detector.continues('    indented, but it says it has its own time', true), false);
  assert.equal(detector.continues('\tat com.x.Y.method(Y.java:42)', false), true);
});

test('Java: printStackTrace under a logback line, with suppressed and caused-by exceptions', () => {
  // JDK 17 output, as printed.
  check(`
- 2026-12-07 05:00:00.123 ERROR 1234 --- [main] T : failed
+ java.lang.RuntimeException: top
+ \tat T.main(T.java:9)
+ \tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
+ \tat java.base/java.lang.reflect.Method.invoke(Method.java:569)
+ \tat jdk.compiler/com.sun.tools.javac.launcher.Main.main(Main.java:132)
+ \tSuppressed: java.io.IOException: close failed
+ \t\tat T.main(T.java:10)
+ \t\t... 7 more
+ Caused by: java.lang.IllegalStateException: wrap failed
+ \tat T.mid(T.java:5)
+ \tat T.main(T.java:8)
+ \t... 7 more
+ Caused by: java.lang.NullPointerException: Cannot invoke "String.length()" because "<parameter1>" is null
+ \tat T.inner(T.java:3)
+ \t... 9 more
- 2026-12-07 05:00:01.000  INFO 1234 --- [main] T : next
- Exception in thread "main" java.util.ConcurrentModificationException
+ \tat T.main(T.java:15)
`);
});

test('Java: Spring Boot under logback, the exception header right after the log line', () => {
  check(`
- 2026-12-07 05:00:00.123 ERROR 1234 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause
+ java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null
+ \tat com.example.demo.HomeController.index(HomeController.java:14) ~[classes/:na]
+ \tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:104) ~[na:na]
+ \tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011) ~[spring-webmvc-5.3.20.jar:5.3.20]
- 2026-12-07 05:00:00.125 ERROR 1234 --- [nio-8080-exec-2] o.s.web.servlet.DispatcherServlet        : Failed to complete request
+ org.springframework.web.util.NestedServletException: Request processing failed; nested exception is java.lang.IllegalStateException: no user
+ \tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014) ~[spring-webmvc-5.3.20.jar:5.3.20]
+ \tat javax.servlet.http.HttpServlet.service(HttpServlet.java:655) ~[tomcat-embed-core-9.0.63.jar:4.0.FR]
+ Caused by: java.lang.IllegalStateException: no user
+ \tat com.example.demo.UserService.current(UserService.java:31) ~[classes/:na]
+ \t... 48 common frames omitted
- 2026-12-07 05:00:01.000  WARN 1234 --- [           main] o.h.e.j.e.i.JdbcEnvironmentInitiator     : HHH000342: Could not obtain connection to query metadata
+ java.lang.StackOverflowError
+ \tat com.example.demo.Tree.depth(Tree.java:12)
+ \tat com.example.demo.Tree$Node$DepthException: nested class in a frame is only a frame
- [2026-12-07 05:00:02,000] ERROR [Consumer clientId=c1] Unexpected error (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)
+ org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired before the position for partition t-0 could be determined
- 2026-12-07 05:00:03,000 ERROR [main] App - log4j root-cause-first
+ java.io.FileNotFoundException: /etc/app.conf (No such file or directory)
+ \tat java.base/java.io.FileInputStream.open0(Native Method)
+ Wrapped by: java.lang.RuntimeException: config
+ \tat App.main(App.java:7)
`);
});

test('Python: chained tracebacks under logging lines, blank lines, 3.11 carets and exception groups included', () => {
  // Python 3.11.7 output, as printed.
  check(`
- 2026-12-07 16:38:12,639 ERROR app: load failed
+ Traceback (most recent call last):
+   File "/tmp/traces/t.py", line 7, in load
+     return parse(d)
+            ^^^^^^^^
+   File "/tmp/traces/t.py", line 4, in parse
+     def parse(d): return d['x']
+                          ~^^^^^
+ KeyError: 'x'
+
+ The above exception was the direct cause of the following exception:
+
+ Traceback (most recent call last):
+   File "/tmp/traces/t.py", line 11, in <module>
+     load({})
+   File "/tmp/traces/t.py", line 9, in load
+     raise ValueError('bad config') from e
+ ValueError: bad config
- 2026-12-07 16:38:12,643 ERROR app: second
+ Traceback (most recent call last):
+   File "/tmp/traces/t.py", line 16, in <module>
+     1/0
+     ~^~
+ ZeroDivisionError: division by zero
+
+ During handling of the above exception, another exception occurred:
+
+ Traceback (most recent call last):
+   File "/tmp/traces/t.py", line 18, in <module>
+     [][3]
+     ~~^^^
+ IndexError: list index out of range
- 2026-12-07 16:38:12,643 INFO app: carets
- 2026-12-07 16:38:13,000 ERROR app: fetch failed
+ Traceback (most recent call last):
+   File "/usr/lib/python3/dist-packages/urllib3/connection.py", line 174, in _new_conn
+     conn = connection.create_connection(
+ urllib3.exceptions.NewConnectionError: <urllib3.connection.HTTPConnection object at 0x7f2c>: Failed to establish a new connection: [Errno 111] Connection refused
+
+ During handling of the above exception, another exception occurred:
+
+ Traceback (most recent call last):
+   File "/app/fetch.py", line 3, in <module>
+     requests.get("http://localhost:1")
+ requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=1): Max retries exceeded with url: /
- 2026-12-07 16:38:14,000 ERROR app: group
+   + Exception Group Traceback (most recent call last):
+   |   File "<string>", line 4, in <module>
+   |   File "<string>", line 3, in f
+   | ExceptionGroup: eg (2 sub-exceptions)
+   +-+---------------- 1 ----------------
+     | ValueError: a
+     +---------------- 2 ----------------
+     | TypeError: b
+     +------------------------------------
- 2026-12-07 16:38:15,000 INFO app: next
`);
});

test('Python: tracebacks printed alone, and Python names that do not end in Error', () => {
  check(`
-   File "/tmp/traces/bad.py", line 1
+     def f(:
+           ^
+ SyntaxError: invalid syntax
`);
  check(`
- Traceback (most recent call last):
+   File "<string>", line 4, in <module>
+   File "/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py", line 355, in raw_decode
+     raise JSONDecodeError("Expecting value", s, err.value) from None
+ json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
- ERROR:root:interrupted
+ Traceback (most recent call last):
+   File "/app/worker.py", line 12, in <module>
+     time.sleep(60)
+ KeyboardInterrupt
- WARNING:root:stopping
- 2026-12-07 05:00:00,000 ERROR app: exit
+ Traceback (most recent call last):
+   File "/app/main.py", line 2, in <module>
+     sys.exit(main())
+ SystemExit: 3
- starting: again
`);
  check(`
- Traceback (most recent call last):
+   File "/app/main.py", line 2, in <module>
+ RuntimeError: first crash
- Traceback (most recent call last):
+   File "/app/main.py", line 2, in <module>
+ RuntimeError: second crash, not chained to the first
`);
});

test('Go: a panic heads its event, its blank lines, goroutines and exit status continue it', () => {
  check(`
- 2026/12/07 05:00:00 loading items
- panic: runtime error: index out of range [5] with length 3
+
+ goroutine 1 [running]:
+ main.main()
+ \t/home/u/app/main.go:9 +0x1d
+ exit status 2
- 2026/12/07 05:00:01 restarted
- panic: runtime error: invalid memory address or nil pointer dereference
+ [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f0b6]
+
+ goroutine 1 [running]:
+ main.(*Server).handle(0x0, {0x4b8f20, 0x5})
+ \t/home/u/app/server.go:21 +0x16
+ main.main()
+ \t/home/u/app/main.go:12 +0x25
+
+ goroutine 18 [chan receive]:
+ main.worker(0xc000020060)
+ \t/home/u/app/worker.go:8 +0x3c
+ created by main.main in goroutine 1
+ \t/home/u/app/main.go:10 +0x1e
+ ...additional frames elided...
+ exit status 2
- 2026/12/07 05:00:02 restarted
- fatal error: all goroutines are asleep - deadlock!
+
+ goroutine 1 [chan receive]:
+ main.main()
+ \t/home/u/app/main.go:6 +0x2d
+ exit status 2
`);
});

test('Go: a recovered panic logged by net/http, a pkg/errors stack and a zap stack under log lines', () => {
  check(`
- 2026/12/07 05:00:00 http: panic serving 127.0.0.1:41234: boom
+ goroutine 6 [running]:
+ net/http.(*conn).serve.func1()
+ \t/usr/local/go/src/net/http/server.go:1898 +0xbe
+ panic({0x6283a0?, 0x7a1c50?})
+ \t/usr/local/go/src/runtime/panic.go:770 +0x132
+ main.handler({0x7a3f58?, 0xc0001420e0?}, 0xc000160000?)
+ \t/home/u/app/main.go:9 +0x25
+ created by net/http.(*Server).Serve in goroutine 1
+ \t/usr/local/go/src/net/http/server.go:3285 +0x4b4
- 2026/12/07 05:00:01 query failed: boom
+ github.com/acme/app/store.(*DB).Query
+ \t/go/src/github.com/acme/app/store/db.go:42
+ main.load
+ \t/go/src/github.com/acme/app/main.go:17
+ runtime.main
+ \t/usr/local/go/src/runtime/proc.go:271
+ runtime.goexit
+ \t/usr/local/go/src/runtime/asm_amd64.s:1695
- 2026-12-07T05:00:02.000Z\tERROR\tapp/main.go:20\tfailed\t{"error": "boom"}
+ main.main
+ \t/app/main.go:20
+ runtime.main
+ \t/usr/local/go/src/runtime/proc.go:271
- 2026-12-07T05:00:03.000Z\tINFO\tapp/main.go:21\tok
`);
});

test('Node: err.stack under log lines, a cause, and util.inspect properties', () => {
  // Node 20.20.2 output, as printed.
  check(`
- 2026-12-07T05:00:00.000Z ERROR handler failed
+ TypeError: Cannot read properties of undefined (reading 'x')
+     at main (/tmp/traces/a.js:4:19)
+     at Object.<anonymous> (/tmp/traces/a.js:10:1)
+     at Module._compile (node:internal/modules/cjs/loader:1521:14)
+     at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)
+     at node:internal/main/run_main_module:28:49
- 2026-12-07T05:00:00.000Z ERROR all
+ Error: boom
+     at main (/tmp/traces/a.js:5:43)
+     at async Promise.all (index 0)
+     ... 5 lines matching cause stack trace ...
+     at node:internal/main/run_main_module:28:49 {
+   [cause]: TypeError: inner
+       at main (/tmp/traces/a.js:5:70)
+       at node:internal/main/run_main_module:28:49
+ }
- 2026-12-07T05:00:00.000Z ERROR connect
+ Error: connect ECONNREFUSED 127.0.0.1:1
+     at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {
+   errno: -111,
+   code: 'ECONNREFUSED',
+   syscall: 'connect',
+   address: '127.0.0.1',
+   port: 1
+ }
- 2026-12-07T05:00:01.000Z ERROR send failed
+ Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers after they are sent to the client
+     at ServerResponse.setHeader (node:_http_outgoing:659:11)
- 2026-12-07T05:00:02.000Z WARN aborted
+ DOMException [AbortError]: This operation was aborted
+     at new DOMException (node:internal/per_context/domexception:53:5)
- 2026-12-07T05:00:03.000Z INFO now throwing
`);
});

test("Node: the uncaught-exception banner, from the throw's file:line to the version line", () => {
  // Node 20.20.2 output, as printed to stderr; each banner heads its own event.
  check(`
- 2026-12-07T05:00:03.000Z INFO now throwing
- /tmp/traces/a.js:8
+   setTimeout(() => { throw new Error('x'); }, 1);
+                      ^
+
+ Error: x
+     at Timeout._onTimeout (/tmp/traces/a.js:8:28)
+     at listOnTimeout (node:internal/timers:581:17)
+
+ Node.js v20.20.2
- node:internal/modules/cjs/loader:1210
+   throw err;
+   ^
+
+ Error: Cannot find module './nope'
+ Require stack:
+ - /tmp/traces/[eval]
+     at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
+     at evalScript (node:internal/process/execution:133:3) {
+   code: 'MODULE_NOT_FOUND',
+   requireStack: [ '/tmp/traces/[eval]' ]
+ }
+
+ Node.js v20.20.2
- [eval]:1
+ throw "x"
+ ^
+ x
+ (Use \`node --trace-uncaught ...\` to show where the exception was thrown)
+
+ Node.js v20.20.2
- /app/index.js:1
+ throw {a:1}
+ ^
+
+ { a: 1 }
+
+ Node.js v20.20.2
- node:internal/process/promises:389
+       new UnhandledPromiseRejection(reason);
+       ^
+
+ UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "x".
+     at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)
+     at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {
+   code: 'ERR_UNHANDLED_REJECTION'
+ }
+
+ Node.js v20.20.2
- file:///app/main.mjs:1
+ await Promise.reject(new RangeError("r"))
+                      ^
+
+ RangeError: r
+     at file:///app/main.mjs:1:22
+
+ Node.js v20.20.2
- > app@1.0.0 start
- C:\\app\\index.js:3
+ const e = new Error("multi\\nline message"); throw e
+                                             ^
+
+ Error: multi
+ line message
+     at Object.<anonymous> (C:\\app\\index.js:3:11)
+
+ Node.js v20.20.2
- [nodemon] app crashed - waiting for file changes before starting...
`);
});

test('Node: after the banner, only the version line is taken unindented', () => {
  // Node before 18 printed no version line: what the next run prints heads its own events.
  check(`
- /app/index.js:8
+   throw new Error('x');
+   ^
+
+ Error: x
+     at Object.<anonymous> (/app/index.js:8:9)
- listening on 3000
- /app/index.js:9
-
- a file:line that is not followed by a caret is not a banner
`);
});

test('.NET: an exception under a log line, inner exceptions and async seams', () => {
  check(`
- 2026-12-07 05:00:00.123 +00:00 [ERR] Unhandled exception in request
+ System.InvalidOperationException: Sequence contains no elements
+  ---> System.NullReferenceException: Object reference not set to an instance of an object.
+    at MyApp.Services.UserService.Find(Int32 id) in /src/Services/UserService.cs:line 31
+    --- End of inner exception stack trace ---
+    at MyApp.Controllers.HomeController.Index() in /src/HomeController.cs:line 42
+    at System.Threading.Tasks.Task.<>c.<ThrowAsync>b__128_0(Object state)
+ --- End of stack trace from previous location ---
+    at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute(ActionContext actionContext)
+ --- End of stack trace from previous location where exception was thrown ---
+    at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw()
- [05:00:01 ERR] Query failed
+ Microsoft.Data.SqlClient.SqlException (0x80131904): Invalid object name 'Users'.
+    at Microsoft.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection, Action\`1 wrapCloseInAction)
- [05:00:02 ERR] Null
+ System.NullReferenceException: Object reference not set to an instance of an object.
+    at MyApp.Program.Main(String[] args) in /src/Program.cs:line 9
- [05:00:03 INF] Done
`);
});

test('.NET: the ASP.NET Core console logger, its level word line heading each event', () => {
  check(`
- info: Microsoft.Hosting.Lifetime[14]
+       Now listening on: http://localhost:5000
- fail: Microsoft.AspNetCore.Server.Kestrel[13]
+       Connection id "0HN7V3F6GQ5KJ", Request id "0HN7V3F6GQ5KJ:00000001": An unhandled exception was thrown by the application.
+       System.InvalidOperationException: StatusCode cannot be set because the response has already started.
+          at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ThrowResponseAlreadyStartedException(String value)
+          at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.set_StatusCode(Int32 value)
- fail: Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware[1]
+       An unhandled exception has occurred while executing the request.
+ System.InvalidOperationException: Unable to resolve service for type 'WebApplication3.Person' while attempting to activate 'WebApplication3.Pages.IndexModel'.
+    at Microsoft.Extensions.DependencyInjection.ActivatorUtilities.GetService(IServiceProvider sp, Type type, Type requiredBy, Boolean isDefaultParameterRequired)
+    at lambda_method(Closure , IServiceProvider , Object[] )
- info: Microsoft.Hosting.Lifetime[0]
+       Application is shutting down...
- Unhandled exception. System.IO.FileNotFoundException: Could not find file '/app/settings.json'.
+    at Microsoft.Win32.SafeHandles.SafeFileHandle.Open(String fullPath, FileMode mode, FileAccess access, FileShare share, FileOptions options, Int64 preallocationSize)
`);
});

test('generic: indented lines continue an open event, wrapped messages and pretty-printed objects', () => {
  check(`
- 2026-12-07T05:00:00Z INFO config loaded:
+ {
+   "port": 8080,
+   "hosts": [
+     "a"
+   ]
+ }
- 2026-12-07T05:00:01Z WARN a message the logger wrapped
+     onto a second line
+ \tand a tab-indented third
- 2026-12-07T05:00:02Z INFO rows
+ [
+   { id: 1 },
+ ]
- {"level":"info","msg":"a JSON line without a time heads its own event"}
+   indented after it
`);
});

test('negatives: plain lines, a sentence starting with at, Caused by mid-sentence, blank lines outside a traceback', () => {
  check(`
- starting server
- listening on :8080
+   (indented: continues)
- 2026-12-07T05:00:00Z INFO job scheduled
- at noon the job ran
- 2026-12-07T05:00:01Z ERROR job failed
- the job failed. Caused by: timeout
- Caused by the user pressing ^C
-
- 2026-12-07T05:00:02Z INFO next
-
-
- error: failed to push some refs
- RuntimeError happened again
- MyError
- Error
- localhost:8080
- https://example.com:8443
- not the source line of a banner: a URL with a port is none
- exit status 1
- goroutine x
- done.
- ---- a dashed rule
- 2026-12-07T05:00:03Z INFO after
- Node.js is great
`);
});

test('Python: a blank line continues only inside a traceback, and the exception line only after frames', () => {
  check(`
- 2026-12-07 05:00:00,000 INFO a
-
- ValueError without a colon is a plain line
- 2026-12-07 05:00:00,000 ERROR b
+ Traceback (most recent call last):
+   File "/app/x.py", line 3, in <module>
+ ValueError: boom
- note: printed after the exception line, not after a frame
`);
});

test('at most MAX_CONTINUATION_LINES continuation lines per event, then a line heads a new event', () => {
  const detector = new EventContinuation();
  assert.equal(detector.continues('2026-12-07T05:00:00Z INFO dump', true), false);
  for (let i = 0; i < MAX_CONTINUATION_LINES; i++) assert.equal(detector.continues('  x', false), true, `line ${i}`);
  assert.equal(detector.continues('  x', false), false);
  assert.equal(detector.continues('  x', false), true);
});

test('only the start of a line is looked at, however long it is', () => {
  const detector = new EventContinuation();
  const long = 'x'.repeat(1_000_000);
  detector.continues('2026-12-07T05:00:00Z ERROR failed', true);
  assert.equal(detector.continues(`Caused by: ${long}`, false), true);
  assert.equal(detector.continues(`java.lang.IllegalStateException: ${long}`, false), true);
  assert.equal(detector.continues(`${long}Exception: not a name within the first chars`, false), false);
  assert.equal(detector.continues(`${' '.repeat(300)}x`, false), true);
  assert.equal(detector.continues(`main.${long}`, false), false);
  assert.equal(detector.continues(`/app/${long}:12`, false), false);
  assert.equal(detector.continues('  not the source line of a banner', false), true);
});

test('one detector per file: detectors do not share state', () => {
  const a = new EventContinuation();
  const b = new EventContinuation();
  a.continues('2026-12-07T05:00:00Z ERROR a', true);
  assert.equal(b.continues('    at x (/app/b.js:1:1)', false), false);
  assert.equal(a.continues('    at x (/app/a.js:1:1)', false), true);
});

test('a checkpoint copy, and the state kept once a read is done, hold no string of the read (a line is a slice of one)', () => {
  const PARENTS = 200;
  const PARENT_CHARS = 256 * 1024;
  const events = new EventContinuation();
  const checkpoints: EventContinuation[] = [];
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < PARENTS; i++) {
    // As the splitter makes them: lines sliced out of a string of many lines.
    const read = `${i} `.padEnd(PARENT_CHARS, 'x') + '\n';
    events.continues(read.slice(0, 300), false);
    checkpoints.push(events.copy());
    events.keepOwnCopy();
  }
  collectGarbage();
  const grown = process.memoryUsage().heapUsed - before;
  // Kept whole, the reads would be 200 × 256 KiB = 50 MiB.
  assert.ok(grown < 8 * 1024 * 1024, `heap grew by ${(grown / 1024 / 1024).toFixed(1)} MiB for ${checkpoints.length} checkpoints`);
  assert.equal(checkpoints.length, PARENTS);
});
