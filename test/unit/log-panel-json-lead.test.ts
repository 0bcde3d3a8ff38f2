// A JSON line's lead: its chosen keys, then its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLead, MAX_JSON_KEYS, MAX_LEAD_PARSE_CHARS, MAX_LEAD_VALUE_CHARS, parseJsonKeys } from '../../renderer/log-panel/json-lead';

const iso = (ms: number) => new Date(ms).toISOString();

test('the message comes from msg, message or @message; chosen keys (nested by dots) come before it', () => {
  const line = JSON.stringify({ level: 30, time: 1796623434316, msg: 'order shipped', req: { method: 'POST', url: '/pay' }, status: 201 });
  assert.deepEqual(jsonLead(line, [], iso), { columns: [], message: 'order shipped' });
  assert.deepEqual(jsonLead(line, ['req.method', 'status', 'missing', 'time'], iso), {
    columns: [
      { key: 'req.method', value: 'POST' },
      { key: 'status', value: '201' },
      { key: 'missing', value: null },
      { key: 'time', value: iso(1796623434316) },
    ],
    message: 'order shipped',
  });
  assert.equal(jsonLead('{"message":"winston says"}', [], iso)?.message, 'winston says');
  assert.equal(jsonLead('{"@message":"logstash says","@timestamp":"2026-12-07T04:15:00Z"}', ['@timestamp'], iso)?.columns[0]?.value, '2026-12-07T04:15:00.000Z');
  assert.equal(jsonLead('{"req.id":"a-1"}', ['req.id'], iso)?.columns[0]?.value, 'a-1', 'a key with a dot in it');
  assert.equal(jsonLead('{"msg":"boom\\n  at f"}', [], iso)?.message, 'boom ⏎   at f', 'one line');
});

test('no lead for what is not a JSON object, has nothing to lead with, or is too long to parse here', () => {
  assert.equal(jsonLead('plain text', ['a'], iso), null);
  assert.equal(jsonLead('[1,2]', [], iso), null);
  assert.equal(jsonLead('{"a":1', [], iso), null);
  assert.equal(jsonLead('{"level":30}', [], iso), null);
  assert.equal(jsonLead(JSON.stringify({ msg: 'x', pad: 'y'.repeat(MAX_LEAD_PARSE_CHARS) }), [], iso), null);
  const long = jsonLead(JSON.stringify({ msg: 'z'.repeat(500) }), [], iso)!.message!;
  assert.equal(long.length, MAX_LEAD_VALUE_CHARS);
});

test('typed keys are trimmed, without empties or repeats, and bounded', () => {
  assert.deepEqual(parseJsonKeys(' req.method, status ,, status,'), ['req.method', 'status']);
  assert.equal(parseJsonKeys(Array.from({ length: 20 }, (_, i) => `k${i}`).join(',')).length, MAX_JSON_KEYS);
});
