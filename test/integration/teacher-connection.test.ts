import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConnection, listTeacherModels, type TeacherConfig } from '../../src/core/teacher';
import { deadUrl, hermesText, say, toolCall, useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();

const config = (urls: string[], extra: Partial<TeacherConfig> = {}): TeacherConfig => ({
  baseUrls: urls,
  model: 'test-model',
  timeoutMs: 2000,
  ...extra,
});

describe('checkConnection', () => {
  it('lists the models and reports native tool calls', async () => {
    const server = await serve(() => toolCall('ping', { word: 'pong' }), { models: ['test-model', 'other'] });
    const report = await checkConnection(config([server.url]));
    assert.equal(report.ok, true, report.error);
    assert.deepEqual(report.models, ['test-model', 'other']);
    assert.equal(report.modelServed, true);
    assert.equal(report.toolCalls, 'native');
    assert.equal(report.error, undefined);
    assert.ok(report.ms >= 0);
    // The round trip offered one tool and went through the normal request path.
    const [chat] = server.chats;
    assert.equal(chat.body.tools?.[0].function.name, 'ping');
    assert.equal(server.requests[0].path, '/v1/models');
  });

  it('reports text tool calls when the server leaves them in the content', async () => {
    const server = await serve(() => say(hermesText('ping', { word: 'pong' })));
    const report = await checkConnection(config([server.url]));
    assert.equal(report.ok, true);
    assert.equal(report.toolCalls, 'text');
  });

  it('is not ok when the model answers without calling the tool', async () => {
    const server = await serve(() => say('pong'));
    const report = await checkConnection(config([server.url]));
    assert.equal(report.ok, false);
    assert.equal(report.toolCalls, 'none');
    assert.match(report.error!, /answered without calling the offered tool/);
  });

  it('reports a model the server does not serve', async () => {
    const server = await serve(() => toolCall('ping', {}), { models: ['llama-3'] });
    const report = await checkConnection(config([server.url], { model: 'qwen' }));
    assert.equal(report.ok, false);
    assert.equal(report.modelServed, false);
    assert.deepEqual(report.models, ['llama-3']);
    assert.equal(report.error, `model "qwen" is not served at ${server.url}; pick one of the models it lists`);
  });

  it('reports a rejected key without the key', async () => {
    const server = await serve(() => toolCall('ping', {}), { apiKey: 'right' });
    const report = await checkConnection(config([server.url], { apiKey: 'wrong-key-42' }));
    assert.equal(report.ok, false);
    assert.equal(report.error, `the API key was rejected by ${server.url}; check the key`);
    assert.equal(server.chats.length, 0, 'stops after the model list fails');
  });

  it('checks every endpoint and reports the weakest', async () => {
    const native = await serve(() => toolCall('ping', { word: 'pong' }));
    const text = await serve(() => say(hermesText('ping', { word: 'pong' })));
    const dead = await deadUrl();
    const both = await checkConnection(config([native.url, text.url]));
    assert.equal(both.ok, true);
    assert.equal(both.toolCalls, 'text');
    assert.deepEqual(both.endpoints.map((e) => e.toolCalls), ['native', 'text']);
    const withDead = await checkConnection(config([native.url, dead]));
    assert.equal(withDead.ok, false);
    assert.equal(withDead.endpoints[0].ok, true);
    assert.match(withDead.error!, /could not reach .* \(connection refused\)/);
  });
});

describe('listTeacherModels', () => {
  it('joins the lists of every endpoint without asking for a completion, skipping dead ones', async () => {
    const a = await serve(() => toolCall('ping', {}), { models: ['qwen', 'llama-3'] });
    const b = await serve(() => toolCall('ping', {}), { models: ['llama-3', 'mistral'] });
    const dead = await deadUrl();
    // No model is chosen yet: that is the point of listing.
    const models = await listTeacherModels({ baseUrls: [a.url, dead, b.url], timeoutMs: 2000 });
    assert.deepEqual(models, ['qwen', 'llama-3', 'mistral']);
    assert.equal(a.chats.length + b.chats.length, 0);
  });

  it('returns nothing when the key is rejected', async () => {
    const server = await serve(() => toolCall('ping', {}), { apiKey: 'right', models: ['qwen'] });
    assert.deepEqual(await listTeacherModels({ baseUrls: [server.url], apiKey: 'wrong', timeoutMs: 2000 }), []);
  });
});
