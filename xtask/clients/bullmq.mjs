// BullMQ (a job queue built on ~50 Lua scripts run by EVALSHA) against the server on $PORT.
// Prints only what does not depend on timing or on ids, so the output of redis-server 7.0 and
// of ferrous serve can be compared line by line (`cargo xtask clients`).
import { Queue, Worker, QueueEvents, FlowProducer, Job } from 'bullmq';

const connection = { host: '127.0.0.1', port: Number(process.env.PORT), maxRetriesPerRequest: null };
const name = 'xtask-bullmq';
const queue = new Queue(name, { connection });
await queue.obliterate({ force: true });
const events = new QueueEvents(name, { connection });
await events.waitUntilReady();
const sleep = ms => new Promise(res => setTimeout(res, ms));
const until = async (what, test) => {
  for (let i = 0; i < 200; i++) {
    if (await test()) return;
    await sleep(25);
  }
  console.log('timed out waiting for', what);
};

let completed = 0;
let failures = 0;
const worker = new Worker(name, async job => {
  if (job.data.fail) throw new Error('boom ' + job.attemptsMade);
  if (job.data.progress) await job.updateProgress(50);
  if (job.data.log) await job.log('line ' + job.data.n);
  return job.data.n * 2;
}, { connection, concurrency: 4, autorun: false });
worker.on('completed', () => completed++);
worker.on('failed', () => failures++);

const jobs = await queue.addBulk(Array.from({ length: 40 }, (_, i) => ({
  name: 'j', data: { n: i, progress: i % 7 === 0, log: i % 5 === 0 },
  opts: { removeOnComplete: i % 2 === 0 },
})));
await queue.add('retry', { fail: true }, { attempts: 3, backoff: { type: 'fixed', delay: 20 } });
await queue.add('delayed', { n: 100 }, { delay: 150 });
await queue.add('prio', { n: 101 }, { priority: 3 });
console.log('waiting before the worker runs', await queue.getWaitingCount());
console.log('prioritized', await queue.getPrioritizedCount(), 'delayed', await queue.getDelayedCount());
worker.run();
console.log('job 1 returned', await jobs[1].waitUntilFinished(events, 10000));
await until('all jobs', async () => completed === 42 && failures === 3);
console.log('completed', completed, 'failure events', failures);
console.log('counts', JSON.stringify(await queue.getJobCounts()));
const kept = await Job.fromId(queue, jobs[5].id);
console.log('job 5', kept.returnvalue, JSON.stringify(kept.data), kept.finishedOn > 0);
console.log('job 5 logs', JSON.stringify((await queue.getJobLogs(jobs[5].id)).logs));
console.log('job 4 removed on completion', (await Job.fromId(queue, jobs[4].id)) === undefined);
const [failed] = await queue.getFailed();
console.log('failed job', failed.name, failed.failedReason, failed.attemptsMade);
await failed.retry();
await until('the retried job', async () => failures === 4);
console.log('failures after retry', failures);

const flow = new FlowProducer({ connection });
const tree = await flow.add({
  name: 'parent', queueName: name, data: { n: 1 },
  children: [1, 2, 3].map(n => ({ name: 'child', queueName: name, data: { n: n + 1 } })),
});
console.log('flow parent', await tree.job.waitUntilFinished(events, 10000));
console.log('children values', JSON.stringify(Object.values(await tree.job.getChildrenValues()).sort()));

await queue.pause();
console.log('paused', await queue.isPaused());
await queue.add('while-paused', { n: 7 });
console.log('waiting while paused', await queue.getWaitingCount());
await queue.resume();
await until('the job added while paused', async () => (await queue.getWaitingCount()) === 0);

await queue.upsertJobScheduler('every', { every: 50 }, { name: 'repeat', data: { n: 9 } });
console.log('schedulers', (await queue.getJobSchedulers()).map(s => s.key).join(','));
const before = completed;
await until('three repeats', async () => completed >= before + 3);
console.log('repeats ran', completed >= before + 3);
await queue.removeJobScheduler('every');
console.log('schedulers after removal', (await queue.getJobSchedulers()).length);

await worker.close();
await queue.drain(true);
await queue.obliterate({ force: true });
console.log('keys left', (await (await queue.client).keys(`bull:${name}:*`)).length);
await events.close();
await flow.close();
await queue.close();
