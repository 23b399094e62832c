// The Node `mongodb` driver against `argonctl serve` (started here on a
// free loopback port with a fresh data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bin = process.env.ARGONCTL_BIN || path.join(root, 'target', 'debug', 'argonctl');
const home = mkdtempSync(path.join(tmpdir(), 'argon-node-'));
const env = { ...process.env, ARGON_HOME: home, NO_COLOR: '1' };
let server;
let client;

before(async () => {
  server = spawn(bin, ['serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise((resolve) => {
    readline.createInterface({ input: server.stdout }).once('line', resolve);
  });
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
});

after(async () => {
  await client?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited; // it checkpoints on the way out
  }
  rmSync(home, { recursive: true, force: true });
});

test('CRUD, cursors and indexes', async () => {
  const c = client.db('shop').collection('users');
  await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, v: i % 5, name: `u${i}` })));
  assert.equal(await c.countDocuments({ v: 2 }), 50);
  const docs = await c.find({ v: { $gte: 3 } }).sort({ _id: -1 }).batchSize(10).toArray();
  assert.equal(docs.length, 100);
  assert.equal(docs[0]._id, 249);
  const r = await c.updateMany({ v: 0 }, { $set: { zero: true }, $inc: { n: 1 } });
  assert.equal(r.modifiedCount, 50);
  assert.deepEqual(await c.findOne({ _id: 5 }), { _id: 5, v: 0, name: 'u5', zero: true, n: 1 });
  await c.createIndex({ name: 1 }, { unique: true });
  await assert.rejects(c.insertOne({ _id: 1000, name: 'u1' }), (e) => e.code === 11000);
  assert.equal((await c.deleteMany({ v: 4 })).deletedCount, 50);
  const grouped = await c.aggregate([{ $group: { _id: '$v', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
  assert.deepEqual(grouped.map((g) => g.n), [50, 50, 50, 50]);
});

test('a branch is a database of its own', async () => {
  const main = client.db('lab').collection('items');
  await main.insertMany([{ _id: 1 }, { _id: 2 }]);
  execFileSync(bin, ['-p', 'lab', 'branches', 'create', 'exp', '--from', 'main'], { env });
  const exp = client.db('lab@exp').collection('items');
  await exp.insertOne({ _id: 3 });
  assert.equal(await exp.countDocuments(), 3);
  assert.equal(await main.countDocuments(), 2);
});
