// The official `openai` npm client, unmodified, against a Sigil server (run by OpenAiNpmClientTest).
// Env: OPENAI_NPM_DIR (where the package is installed), OPENAI_BASE_URL, SIGIL_KEY, SIGIL_LIMITED_KEY.
// Prints one line per check ("ok <name>") and exits 1 with the failure on the first check that fails.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(process.env.OPENAI_NPM_DIR + '/');
const OpenAI = require('openai');
const baseURL = process.env.OPENAI_BASE_URL;
const client = new OpenAI({ apiKey: process.env.SIGIL_KEY, baseURL, maxRetries: 0 });
const ask = (content, extra = {}) => ({ model: 'helper', messages: [{ role: 'user', content }], ...extra });

async function check(name, fn) {
  try {
    await fn();
    console.log('ok ' + name);
  } catch (e) {
    console.log('FAILED ' + name + ': ' + (e && e.stack ? e.stack : e));
    process.exit(1);
  }
}

await check('models', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  assert.ok(ids.includes('helper'), 'models: ' + ids);
});

await check('plain completion', async () => {
  const { data, response } = await client.chat.completions.create(ask('What is Sigil?')).withResponse();
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.match(data.choices[0].message.content, /offline test model/);
  assert.ok(data.usage.prompt_tokens > 0 && data.usage.completion_tokens > 0);
  assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
  assert.ok(response.headers.get('sigil-session-id'), 'a session id header');
});

await check('streamed completion', async () => {
  const stream = await client.chat.completions.create(ask('Stream me an answer', {
    stream: true, stream_options: { include_usage: true } }));
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(chunks.length >= 4, 'chunks: ' + chunks.length);
  for (const c of chunks) {
    assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(c.id, chunks[0].id);
    assert.equal(c.model, 'helper');
    assert.equal(typeof c.created, 'number');
    assert.ok(Array.isArray(c.choices));
  }
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const text = chunks.flatMap(c => c.choices).map(ch => ch.delta.content ?? '').join('');
  assert.match(text, /offline test model/);
  const finish = chunks[chunks.length - 2];
  assert.equal(finish.choices[0].finish_reason, 'stop');
  const last = chunks[chunks.length - 1];
  assert.equal(last.choices.length, 0);
  assert.ok(last.usage.total_tokens > 0, 'usage at the end');
  // The SDK's own stream helper assembles the same answer from the same events.
  const runner = client.chat.completions.stream(ask('Stream me an answer'));
  const final = await runner.finalChatCompletion();
  assert.match(final.choices[0].message.content, /offline test model/);
});

await check('json_schema completion', async () => {
  const schema = { type: 'object', additionalProperties: false, required: ['city', 'population', 'tags'],
    properties: { city: { type: 'string', minLength: 1 }, population: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { type: 'string' } } } };
  const r = await client.chat.completions.create(ask('Facts about Paris', {
    response_format: { type: 'json_schema', json_schema: { name: 'city_facts', strict: true, schema } } }));
  const value = JSON.parse(r.choices[0].message.content);
  assert.deepEqual(Object.keys(value).sort(), ['city', 'population', 'tags']);
  assert.equal(typeof value.city, 'string');
  assert.ok(value.city.length >= 1);
  assert.ok(Number.isInteger(value.population) && value.population >= 0);
  assert.ok(Array.isArray(value.tags) && value.tags.every(t => typeof t === 'string'));
});

await check('client tool call round trip', async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
  const messages = [{ role: 'user', content: 'Use get_weather for Paris' }];
  const first = await client.chat.completions.create({ model: 'helper', messages, tools });
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.ok('city' in JSON.parse(call.function.arguments));
  messages.push(first.choices[0].message);
  messages.push({ role: 'tool', tool_call_id: call.id, content: '{"city": "Paris", "sky": "sunny"}' });
  const second = await client.chat.completions.create({ model: 'helper', messages, tools });
  assert.equal(second.choices[0].finish_reason, 'stop');
  // The offline model reports the tool result it was given, wrapped as untrusted data.
  assert.match(second.choices[0].message.content, /The tool get_weather returned/);
  assert.match(second.choices[0].message.content, /UNTRUSTED_DATA/);
  // Streamed, the tool call arrives as tool_calls deltas that the SDK's helper assembles.
  const streamed = await client.chat.completions.stream({ model: 'helper', messages: messages.slice(0, 1), tools })
    .finalChatCompletion();
  assert.equal(streamed.choices[0].finish_reason, 'tool_calls');
  assert.equal(streamed.choices[0].message.tool_calls[0].function.name, 'get_weather');
});

await check('authentication error', async () => {
  const bad = new OpenAI({ apiKey: 'sgk_not-a-key', baseURL, maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create(ask('hi')), e => {
    assert.ok(e instanceof OpenAI.AuthenticationError, e.constructor.name);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'invalid_api_key');
    return true;
  });
});

await check('not found and bad request errors', async () => {
  await assert.rejects(client.chat.completions.create({ ...ask('hi'), model: 'no_such_agent' }), e => {
    assert.ok(e instanceof OpenAI.NotFoundError, e.constructor.name);
    assert.equal(e.code, 'model_not_found');
    return true;
  });
  await assert.rejects(client.chat.completions.create({ ...ask('hi'), n: 3 }), e => {
    assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
    assert.equal(e.param, 'n');
    return true;
  });
});

await check('rate limit error', async () => {
  const limited = new OpenAI({ apiKey: process.env.SIGIL_LIMITED_KEY, baseURL, maxRetries: 0 });
  await limited.models.list();
  await limited.models.list();
  await assert.rejects(limited.chat.completions.create(ask('hi')), e => {
    assert.ok(e instanceof OpenAI.RateLimitError, e.constructor.name);
    assert.equal(e.status, 429);
    assert.equal(e.code, 'rate_limit_exceeded');
    return true;
  });
});
