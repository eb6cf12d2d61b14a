//! Publish/subscribe: `SUBSCRIBE`, `UNSUBSCRIBE`, `PSUBSCRIBE`, `PUNSUBSCRIBE`, `PUBLISH`,
//! `PUBSUB CHANNELS|NUMSUB|NUMPAT|SHARDCHANNELS|SHARDNUMSUB` (the shard commands themselves are
//! in `spubsub.rs`).
//!
//! Subscriptions live in the core with the other client state; messages reach a subscriber
//! through its connection's push channel (the connection writes them between its own
//! replies). Frames are arrays in RESP2 and push frames (`>`) in RESP3, as Redis sends them.
//! A RESP2 client with subscriptions may only run the (un)subscribe commands, `PING`, `QUIT`
//! and `RESET`.

use std::collections::{BTreeMap, BTreeSet};

use ferrous_redis::{Reply, encode_reply};

use super::core::{Core, Step};
use super::glob::glob_match;

/// Who listens where.
#[derive(Debug, Default)]
pub(crate) struct PubSub {
    channels: BTreeMap<Vec<u8>, BTreeSet<u64>>,
    patterns: BTreeMap<Vec<u8>, BTreeSet<u64>>,
    /// Shard channels (`SSUBSCRIBE`, `spubsub.rs`).
    pub(crate) shard: BTreeMap<Vec<u8>, BTreeSet<u64>>,
}

/// Appends one pub/sub frame: a push in RESP3, an array in RESP2.
pub(crate) fn encode_push(items: Vec<Reply>, resp: u8, out: &mut Vec<u8>) {
    if resp == 3 {
        out.extend_from_slice(format!(">{}\r\n", items.len()).as_bytes());
        for item in &items {
            encode_reply(item, resp, out);
        }
    } else {
        encode_reply(&Reply::Array(items), resp, out);
    }
}

pub(crate) fn bulk(bytes: &[u8]) -> Reply {
    Reply::Bulk(bytes.to_vec())
}

/// Whether a subscribed RESP2 client may run `name`.
pub(crate) fn allowed_when_subscribed(name: &str) -> bool {
    matches!(
        name,
        "subscribe"
            | "unsubscribe"
            | "psubscribe"
            | "punsubscribe"
            | "ssubscribe"
            | "sunsubscribe"
            | "ping"
            | "quit"
            | "reset"
    )
}

impl Core {
    /// The number of channels and patterns client `id` listens to.
    pub(crate) fn subscriptions(&self, id: u64) -> usize {
        self.clients.get(&id).map_or(0, |c| {
            c.channels.len() + c.patterns.len() + c.shard_channels.len()
        })
    }

    /// `SUBSCRIBE`/`PSUBSCRIBE channel...`.
    pub(crate) fn subscribe(&mut self, id: u64, argv: &[Vec<u8>], pattern: bool) -> Step {
        let mut frames = Vec::new();
        for name in &argv[1..] {
            let Some(client) = self.clients.get_mut(&id) else {
                return Step::Silent;
            };
            let (mine, all) = if pattern {
                (&mut client.patterns, &mut self.pubsub.patterns)
            } else {
                (&mut client.channels, &mut self.pubsub.channels)
            };
            if mine.insert(name.clone()) {
                all.entry(name.clone()).or_default().insert(id);
            }
            let count = client.channels.len() + client.patterns.len();
            let kind: &[u8] = if pattern { b"psubscribe" } else { b"subscribe" };
            frames.push(vec![bulk(kind), bulk(name), Reply::Integer(count as i64)]);
        }
        Step::Pushes(frames)
    }

    /// `UNSUBSCRIBE`/`PUNSUBSCRIBE [channel...]` (none: all of them).
    pub(crate) fn unsubscribe(&mut self, id: u64, argv: &[Vec<u8>], pattern: bool) -> Step {
        let Some(client) = self.clients.get_mut(&id) else {
            return Step::Silent;
        };
        let names: Vec<Vec<u8>> = if argv.len() > 1 {
            argv[1..].to_vec()
        } else if pattern {
            client.patterns.iter().cloned().collect()
        } else {
            client.channels.iter().cloned().collect()
        };
        let kind: &[u8] = if pattern {
            b"punsubscribe"
        } else {
            b"unsubscribe"
        };
        if names.is_empty() {
            let count = client.channels.len() + client.patterns.len();
            return Step::Pushes(vec![vec![
                bulk(kind),
                Reply::Nil,
                Reply::Integer(count as i64),
            ]]);
        }
        let mut frames = Vec::new();
        for name in names {
            let (mine, all) = if pattern {
                (&mut client.patterns, &mut self.pubsub.patterns)
            } else {
                (&mut client.channels, &mut self.pubsub.channels)
            };
            if mine.remove(&name) {
                if let Some(set) = all.get_mut(&name) {
                    set.remove(&id);
                    if set.is_empty() {
                        all.remove(&name);
                    }
                }
            }
            let count = client.channels.len() + client.patterns.len();
            frames.push(vec![bulk(kind), bulk(&name), Reply::Integer(count as i64)]);
        }
        Step::Pushes(frames)
    }

    /// Drops every subscription of client `id` (it left, or `RESET`).
    pub(crate) fn unsubscribe_all(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        for (mine, all) in [
            (&mut client.channels, &mut self.pubsub.channels),
            (&mut client.patterns, &mut self.pubsub.patterns),
            (&mut client.shard_channels, &mut self.pubsub.shard),
        ] {
            for name in std::mem::take(mine) {
                if let Some(set) = all.get_mut(&name) {
                    set.remove(&id);
                    if set.is_empty() {
                        all.remove(&name);
                    }
                }
            }
        }
    }

    /// `PUBLISH channel message`: the number of clients that got it.
    pub(crate) fn publish(&mut self, channel: &[u8], message: &[u8]) -> Reply {
        let mut deliveries: Vec<(u64, Vec<Reply>)> = Vec::new();
        if let Some(ids) = self.pubsub.channels.get(channel) {
            for id in ids {
                deliveries.push((*id, vec![bulk(b"message"), bulk(channel), bulk(message)]));
            }
        }
        for (pattern, ids) in &self.pubsub.patterns {
            if glob_match(pattern, channel) {
                for id in ids {
                    deliveries.push((
                        *id,
                        vec![
                            bulk(b"pmessage"),
                            bulk(pattern),
                            bulk(channel),
                            bulk(message),
                        ],
                    ));
                }
            }
        }
        self.deliver(deliveries)
    }

    /// Sends pub/sub frames to their clients: how many were reached.
    pub(crate) fn deliver(&mut self, deliveries: Vec<(u64, Vec<Reply>)>) -> Reply {
        let mut receivers = 0;
        for (id, frame) in deliveries {
            if let Some(client) = self.clients.get(&id) {
                let mut out = Vec::new();
                encode_push(frame, client.resp, &mut out);
                match client.push.try_send(out) {
                    Ok(()) => receivers += 1,
                    // A subscriber that does not read is disconnected, as past Redis's pubsub
                    // output buffer limit.
                    Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {
                        client.kill.notify_one();
                        receivers += 1;
                    }
                    Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => {}
                }
            }
        }
        Reply::Integer(receivers)
    }

    /// `PUBSUB CHANNELS [pattern] | NUMSUB [channel...] | NUMPAT`.
    pub(crate) fn pubsub_command(&mut self, name: &str, argv: &[Vec<u8>]) -> Reply {
        match name {
            "pubsub|channels" => Reply::Array(
                self.pubsub
                    .channels
                    .keys()
                    .filter(|c| argv.get(2).is_none_or(|p| glob_match(p, c)))
                    .map(|c| bulk(c))
                    .collect(),
            ),
            "pubsub|numsub" => Reply::Array(
                argv[2..]
                    .iter()
                    .flat_map(|c| {
                        let n = self.pubsub.channels.get(c).map_or(0, BTreeSet::len);
                        [bulk(c), Reply::Integer(n as i64)]
                    })
                    .collect(),
            ),
            "pubsub|numpat" => Reply::Integer(self.pubsub.patterns.len() as i64),
            "pubsub|shardchannels" => Reply::Array(
                self.pubsub
                    .shard
                    .keys()
                    .filter(|c| argv.get(2).is_none_or(|p| glob_match(p, c)))
                    .map(|c| bulk(c))
                    .collect(),
            ),
            "pubsub|shardnumsub" => Reply::Array(
                argv[2..]
                    .iter()
                    .flat_map(|c| {
                        let n = self.pubsub.shard.get(c).map_or(0, BTreeSet::len);
                        [bulk(c), Reply::Integer(n as i64)]
                    })
                    .collect(),
            ),
            _ => Reply::error(format!(
                "ERR unknown subcommand '{}'. Try PUBSUB HELP.",
                String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
            )),
        }
    }
}
