// mongosh (the real MongoDB shell, from npm) against `argonctl serve`: each
// step runs `mongosh --quiet URI --eval SCRIPT` and reads back the JSON the
// script prints with EJSON.stringify.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bin = process.env.ARGONCTL_BIN || path.join(root, 'target', 'debug', 'argonctl');
const mongosh = path.join(import.meta.dirname, 'node_modules', '.bin', 'mongosh');
const home = mkdtempSync(path.join(tmpdir(), 'argon-mongosh-'));
const env = { ...process.env, ARGON_HOME: path.join(home, 'data'), NO_COLOR: '1' };
const shHome = path.join(home, 'home');
mkdirSync(shHome);
let server;
let base; // mongodb://127.0.0.1:PORT

before(async () => {
  assert.ok(existsSync(mongosh), `mongosh missing: run npm install in ${import.meta.dirname}`);
  server = spawn(bin, ['serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise((resolve) => {
    readline.createInterface({ input: server.stdout }).once('line', resolve);
  });
  base = uri.replace(/\/?(\?.*)?$/, ''); // drop the path and options
  assert.match(base, /^mongodb:\/\/[^/]+$/, uri);
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
});

// The database name goes in the URI path; '@' and ':' in branch and point
// names must be percent-encoded there (an unescaped '@' reads as user info).
function uriFor(db) {
  return `${base}/${encodeURIComponent(db)}?directConnection=true&serverSelectionTimeoutMS=5000`;
}

// Runs SCRIPT in mongosh against DB; the script's last printed line is JSON.
async function sh(db, script) {
  const { stdout } = await run(mongosh, ['--quiet', uriFor(db), '--eval', script], {
    // its logs and config go to the temp dir, not the user's ~/.mongodb
    env: { ...env, HOME: shHome, MONGOSH_FORCE_DISABLE_TELEMETRY_FOR_TESTING: '1' },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

// Wraps a statement so a thrown server error becomes data: mongosh's driver
// rewrites some errors, so report the server's own one (originalError).
const catching = (expr) =>
  `(() => { try { return { ok: ${expr} }; } catch (e) { const r = e.originalError ?? e; ` +
  `return { error: { code: r.code ?? null, codeName: r.codeName ?? null, message: String(r.message), shown: String(e.message) } }; } })()`;

test('insertOne/insertMany, find with filter + sort, countDocuments', async () => {
  const out = await sh('shop', `
    const a = db.users.insertOne({ _id: 1, name: 'ada', age: 36, tags: ['math'] });
    const b = db.users.insertMany([
      { _id: 2, name: 'bob', age: 25 }, { _id: 3, name: 'cy', age: 41 },
      { _id: 4, name: 'di', age: 30 }, { _id: 5, name: 'ed', age: 19 },
    ]);
    print(EJSON.stringify({
      a: a.insertedId, b: Object.values(b.insertedIds),
      found: db.users.find({ age: { $gte: 25 } }, { name: 1, _id: 0 }).sort({ age: -1 }).toArray(),
      count: db.users.countDocuments({ age: { $lt: 31 } }),
      all: db.users.countDocuments(),
    }));`);
  assert.deepEqual(out, {
    a: 1,
    b: [2, 3, 4, 5],
    found: [{ name: 'cy' }, { name: 'ada' }, { name: 'di' }, { name: 'bob' }],
    count: 3,
    all: 5,
  });
});

test('updateOne and deleteOne', async () => {
  const out = await sh('shop', `
    db.orders.insertMany([{ _id: 1, qty: 1 }, { _id: 2, qty: 5 }, { _id: 3, qty: 9 }]);
    const u = db.orders.updateOne({ _id: 2 }, { $inc: { qty: 10 }, $set: { status: 'big' } });
    const up = db.orders.updateOne({ _id: 7 }, { $set: { qty: 0 } }, { upsert: true });
    const d = db.orders.deleteOne({ qty: { $gt: 8 } });
    print(EJSON.stringify({
      u: [u.matchedCount, u.modifiedCount], deleted: d.deletedCount,
      upserted: up.insertedId ?? up.upsertedId, // mongosh names it insertedId
      docs: db.orders.find().sort({ _id: 1 }).toArray(),
    }));`);
  // deleteOne picks one of _id 2 (qty 15) and 3 (qty 9): both match.
  assert.deepEqual(out.u, [1, 1]);
  assert.equal(out.upserted, 7);
  assert.equal(out.deleted, 1);
  assert.equal(out.docs.length, 3);
  const left = out.docs.map((d) => d._id);
  assert.ok(left.includes(1) && left.includes(7));
  const two = out.docs.find((d) => d._id === 2);
  if (two) assert.deepEqual(two, { _id: 2, qty: 15, status: 'big' });
});

test('aggregate with $group', async () => {
  const out = await sh('shop', `
    db.sales.insertMany([
      { item: 'a', n: 2, price: 10 }, { item: 'b', n: 1, price: 5 },
      { item: 'a', n: 3, price: 10 }, { item: 'c', n: 7, price: 1 },
    ]);
    print(EJSON.stringify(db.sales.aggregate([
      { $match: { n: { $gt: 1 } } },
      { $group: { _id: '$item', total: { $sum: { $multiply: ['$n', '$price'] } }, count: { $sum: 1 }, avg: { $avg: '$n' } } },
      { $sort: { _id: 1 } },
    ]).toArray()));`);
  assert.deepEqual(out, [
    { _id: 'a', total: 50, count: 2, avg: 2.5 },
    { _id: 'c', total: 7, count: 1, avg: 7 },
  ]);
});

test('createIndex, getIndexes and a duplicate-key error', async () => {
  const out = await sh('shop', `
    db.accounts.insertMany([{ _id: 1, email: 'a@x' }, { _id: 2, email: 'b@x' }]);
    const name = db.accounts.createIndex({ email: 1 }, { unique: true });
    const compound = db.accounts.createIndex({ email: 1, _id: -1 });
    print(EJSON.stringify({
      name, compound,
      indexes: db.accounts.getIndexes().map((i) => ({ name: i.name, key: i.key, unique: i.unique ?? false })),
      dup: ${catching("db.accounts.insertOne({ _id: 3, email: 'a@x' })")},
      dupId: ${catching("db.accounts.insertOne({ _id: 1, email: 'z@x' })")},
      count: db.accounts.countDocuments(),
    }));`);
  assert.equal(out.name, 'email_1');
  assert.equal(out.compound, 'email_1__id_-1');
  assert.deepEqual(out.indexes, [
    { name: '_id_', key: { _id: 1 }, unique: false },
    { name: 'email_1', key: { email: 1 }, unique: true },
    { name: 'email_1__id_-1', key: { email: 1, _id: -1 }, unique: false },
  ]);
  assert.equal(out.dup.error?.code, 11000, JSON.stringify(out.dup));
  assert.match(out.dup.error.message, /E11000 duplicate key error/);
  assert.equal(out.dupId.error?.code, 11000, JSON.stringify(out.dupId));
  assert.equal(out.count, 2);
});

test('a branch (shop@feature) is isolated from shop', async () => {
  await sh('shop', `db.items.insertMany([{ _id: 1, v: 'main' }, { _id: 2, v: 'main' }]); print('{}')`);
  execFileSync(bin, ['branches', 'create', 'feature', '--from', 'main', '-p', 'shop'], { env });
  const feature = await sh('shop@feature', `
    const before = db.items.find().sort({ _id: 1 }).toArray();
    db.items.updateOne({ _id: 1 }, { $set: { v: 'feature' } });
    db.items.insertOne({ _id: 3, v: 'feature' });
    db.items.deleteOne({ _id: 2 });
    print(EJSON.stringify({ name: db.getName(), before, after: db.items.find().sort({ _id: 1 }).toArray() }));`);
  assert.equal(feature.name, 'shop@feature');
  assert.deepEqual(feature.before, [{ _id: 1, v: 'main' }, { _id: 2, v: 'main' }]);
  assert.deepEqual(feature.after, [{ _id: 1, v: 'feature' }, { _id: 3, v: 'feature' }]);
  const main = await sh('shop', `
    db.items.insertOne({ _id: 10, v: 'main only' });
    print(EJSON.stringify({
      name: db.getName(), docs: db.items.find().sort({ _id: 1 }).toArray(),
      feature: db.getSiblingDB('shop@feature').items.countDocuments({ _id: 10 }),
    }));`);
  assert.equal(main.name, 'shop');
  assert.deepEqual(main.docs, [{ _id: 1, v: 'main' }, { _id: 2, v: 'main' }, { _id: 10, v: 'main only' }]);
  assert.equal(main.feature, 0);
});

test('the URI `argonctl branches connect` prints works in mongosh as it is', async () => {
  await sh('conn', `db.t.insertOne({ _id: 1 }); print('{}')`);
  execFileSync(bin, ['branches', 'create', 'dev', '--from', 'main', '-p', 'conn'], { env });
  const port = new URL(base.replace('mongodb://', 'http://')).port;
  const uri = execFileSync(bin, ['branches', 'connect', 'dev', '-p', 'conn', '--port', port], { env })
    .toString()
    .trim();
  const { stdout } = await run(mongosh, ['--quiet', uri, '--eval', 'print(EJSON.stringify({ name: db.getName(), n: db.t.countDocuments() }))'], {
    env: { ...env, HOME: shHome, MONGOSH_FORCE_DISABLE_TELEMETRY_FOR_TESTING: '1' },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  assert.deepEqual(JSON.parse(lines[lines.length - 1]), { name: 'conn@dev', n: 1 });
});

test('a past point shop@main@lsn:N reads old data and refuses writes', async () => {
  await sh('hist', `db.c.insertOne({ _id: 1, v: 1 }); print('{}')`);
  const shown = JSON.parse(execFileSync(bin, ['-p', 'hist', 'branches', 'show', 'main', '-o', 'json'], { env }));
  const lsn = shown.lsn;
  assert.ok(Number.isInteger(lsn), JSON.stringify(shown));
  await sh('hist', `db.c.updateOne({ _id: 1 }, { $set: { v: 2 } }); db.c.insertOne({ _id: 2, v: 2 }); print('{}')`);
  const past = await sh(`hist@main@lsn:${lsn}`, `
    print(EJSON.stringify({
      name: db.getName(),
      docs: db.c.find().toArray(),
      insert: ${catching('db.c.insertOne({ _id: 3 })')},
      update: ${catching('db.c.updateOne({ _id: 1 }, { $set: { v: 99 } })')},
      del: ${catching('db.c.deleteMany({})')},
      after: db.c.find().toArray(),
    }));`);
  assert.equal(past.name, `hist@main@lsn:${lsn}`);
  assert.deepEqual(past.docs, [{ _id: 1, v: 1 }]);
  for (const op of ['insert', 'update', 'del']) {
    assert.ok(past[op].error, `${op} on a past point should fail: ${JSON.stringify(past[op])}`);
    assert.match(past[op].error.message, /read-only point in history/, JSON.stringify(past[op]));
  }
  assert.deepEqual(past.after, [{ _id: 1, v: 1 }]);
  const now = await sh('hist', `print(EJSON.stringify(db.c.find().sort({ _id: 1 }).toArray()))`);
  assert.deepEqual(now, [{ _id: 1, v: 2 }, { _id: 2, v: 2 }]);
});
