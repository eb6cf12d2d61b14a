//! Sharded publish/subscribe as a standalone Redis 7.0 serves it: `SSUBSCRIBE`,
//! `SUNSUBSCRIBE` and `SPUBLISH` on shard channels, a namespace apart from `SUBSCRIBE`'s
//! channels (`smessage` frames; the counts in `ssubscribe`/`sunsubscribe` frames are of shard
//! channels only). Subscriptions live in [`PubSub::shard`](super::pubsub::PubSub) and in each
//! client's `shard_channels`.

use ferrous_redis::Reply;

use super::core::{Core, Step};
use super::pubsub::bulk;

impl Core {
    /// `SSUBSCRIBE shardchannel...`.
    pub(crate) fn ssubscribe(&mut self, id: u64, argv: &[Vec<u8>]) -> Step {
        let Some(client) = self.clients.get_mut(&id) else {
            return Step::Silent;
        };
        let mut frames = Vec::new();
        for name in &argv[1..] {
            if client.shard_channels.insert(name.clone()) {
                self.pubsub
                    .shard
                    .entry(name.clone())
                    .or_default()
                    .insert(id);
            }
            let count = i64::try_from(client.shard_channels.len()).unwrap_or(i64::MAX);
            frames.push(vec![bulk(b"ssubscribe"), bulk(name), Reply::Integer(count)]);
        }
        Step::Pushes(frames)
    }

    /// `SUNSUBSCRIBE [shardchannel...]` (none: all of them).
    pub(crate) fn sunsubscribe(&mut self, id: u64, argv: &[Vec<u8>]) -> Step {
        let Some(client) = self.clients.get_mut(&id) else {
            return Step::Silent;
        };
        let names: Vec<Vec<u8>> = if argv.len() > 1 {
            argv[1..].to_vec()
        } else {
            client.shard_channels.iter().cloned().collect()
        };
        if names.is_empty() {
            let count = i64::try_from(client.shard_channels.len()).unwrap_or(i64::MAX);
            return Step::Pushes(vec![vec![
                bulk(b"sunsubscribe"),
                Reply::Nil,
                Reply::Integer(count),
            ]]);
        }
        let mut frames = Vec::new();
        for name in names {
            if client.shard_channels.remove(&name) {
                if let Some(set) = self.pubsub.shard.get_mut(&name) {
                    set.remove(&id);
                    if set.is_empty() {
                        self.pubsub.shard.remove(&name);
                    }
                }
            }
            let count = i64::try_from(client.shard_channels.len()).unwrap_or(i64::MAX);
            frames.push(vec![
                bulk(b"sunsubscribe"),
                bulk(&name),
                Reply::Integer(count),
            ]);
        }
        Step::Pushes(frames)
    }

    /// `SPUBLISH shardchannel message`: the number of clients that got it.
    pub(crate) fn spublish(&mut self, channel: &[u8], message: &[u8]) -> Reply {
        let deliveries = self
            .pubsub
            .shard
            .get(channel)
            .into_iter()
            .flatten()
            .map(|id| (*id, vec![bulk(b"smessage"), bulk(channel), bulk(message)]))
            .collect();
        self.deliver(deliveries)
    }
}
