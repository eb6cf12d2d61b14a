//! How users are shown: `ACL LIST`'s rule strings and `ACL GETUSER`'s map, computed as
//! `ACLDescribeSelectorCommandRules` computes them: start from `+@all` or `-@all`, apply the
//! categories that fit the bitmap best, then single commands until a fake selector's bitmap
//! equals the user's.
//!
//! Invariant: applying the described rules to a new selector gives back the same command
//! bitmap (a test checks it).

use ferrous_redis::{AclCategories, Reply, all_commands};

use super::acl::{Selector, User, id_of};

/// Commands of a category allowed (`on`) and denied (`off`) by a selector.
fn count_category(selector: &Selector, cat: AclCategories) -> (usize, usize) {
    let (mut on, mut off) = (0, 0);
    for spec in all_commands() {
        for spec in std::iter::once(spec).chain(spec.subcommands) {
            if !spec.acl_categories.intersects(cat) {
                continue;
            }
            match id_of(spec) {
                Some(id) if selector.bit(id) => on += 1,
                _ => off += 1,
            }
        }
    }
    (on, off)
}

/// The rules that rebuild a selector's command bitmap (`-@all +@string +get ...`).
pub(crate) fn command_rules(selector: &Selector) -> String {
    let mut rules = String::new();
    let mut fake = Selector::default();
    let additive = !selector.future;
    if additive {
        rules.push_str("-@all ");
        fake.set_all(false);
    } else {
        rules.push_str("+@all ");
        fake.set_all(true);
    }
    let mut temp = Selector {
        allowed: selector.allowed.clone(),
        ..Selector::default()
    };
    let categories: Vec<(AclCategories, &str)> = AclCategories::all().collect();
    let mut applied = vec![false; categories.len()];
    loop {
        let mut best = None;
        let (mut min_diff, mut max_same) = (usize::MAX, 0);
        for (j, (cat, _)) in categories.iter().enumerate() {
            if applied[j] {
                continue;
            }
            let (on, off) = count_category(&temp, *cat);
            let (diff, same) = if additive { (off, on) } else { (on, off) };
            if same > diff && (diff < min_diff || (diff == min_diff && same > max_same)) {
                best = Some(j);
                min_diff = diff;
                max_same = same;
            }
        }
        let Some(j) = best else {
            break;
        };
        let (cat, name) = categories[j];
        fake.set_category(cat, additive);
        temp.set_category(cat, !additive);
        rules.push_str(if additive { "+@" } else { "-@" });
        rules.push_str(name);
        rules.push(' ');
        applied[j] = true;
    }
    single_commands(selector, &mut fake, &mut rules);
    rules.pop();
    rules
}

/// The single commands (and first arguments) where the fake selector still differs.
fn single_commands(selector: &Selector, fake: &mut Selector, rules: &mut String) {
    for spec in all_commands() {
        for spec in std::iter::once(spec).chain(spec.subcommands) {
            let Some(id) = id_of(spec) else {
                continue;
            };
            let user_bit = selector.bit(id);
            if user_bit != fake.bit(id) {
                rules.push(if user_bit { '+' } else { '-' });
                rules.push_str(spec.name);
                rules.push(' ');
                fake.change_perm(spec, user_bit);
            }
        }
        // First arguments come after the container's subcommands, as in Redis.
        for spec in std::iter::once(spec).chain(spec.subcommands) {
            let Some(id) = id_of(spec) else {
                continue;
            };
            if selector.bit(id) {
                continue;
            }
            for arg in selector.first_args.get(&id).into_iter().flatten() {
                rules.push('+');
                rules.push_str(spec.name);
                rules.push('|');
                rules.push_str(&String::from_utf8_lossy(arg));
                rules.push(' ');
            }
        }
    }
}

/// The key patterns as `ACL GETUSER` shows them (`~*`, or `~a %R~b`).
fn keys_text(selector: &Selector) -> Vec<u8> {
    if selector.all_keys {
        return b"~*".to_vec();
    }
    let parts: Vec<Vec<u8>> = selector.keys.iter().map(|k| k.describe()).collect();
    parts.join(&b' ')
}

/// The channel patterns as `ACL GETUSER` shows them (`&*`, or `&a &b`).
fn channels_text(selector: &Selector) -> Vec<u8> {
    if selector.all_channels {
        return b"&*".to_vec();
    }
    let parts: Vec<Vec<u8>> = selector
        .channels
        .iter()
        .map(|c| [&b"&"[..], c].concat())
        .collect();
    parts.join(&b' ')
}

/// One selector as `ACL LIST` shows it: keys, channels, then command rules.
fn describe_selector(selector: &Selector) -> Vec<u8> {
    let mut out = Vec::new();
    if selector.all_keys {
        out.extend_from_slice(b"~* ");
    } else {
        for key in &selector.keys {
            out.extend_from_slice(&key.describe());
            out.push(b' ');
        }
    }
    if selector.all_channels {
        out.extend_from_slice(b"&* ");
    } else {
        out.extend_from_slice(b"resetchannels ");
        for channel in &selector.channels {
            out.push(b'&');
            out.extend_from_slice(channel);
            out.push(b' ');
        }
    }
    out.extend_from_slice(command_rules(selector).as_bytes());
    out
}

/// A user as `ACL LIST` shows it, without the leading `user name ` (`ACLDescribeUser`).
pub(crate) fn describe_user(user: &User) -> Vec<u8> {
    let mut out = Vec::new();
    for flag in user.flags() {
        out.extend_from_slice(flag.as_bytes());
        out.push(b' ');
    }
    for hash in &user.passwords {
        out.push(b'#');
        out.extend_from_slice(hash.as_bytes());
        out.push(b' ');
    }
    out.extend_from_slice(&describe_selector(&user.root));
    for selector in &user.selectors {
        out.extend_from_slice(b" (");
        out.extend_from_slice(&describe_selector(selector));
        out.push(b')');
    }
    out
}

/// `commands`, `keys` and `channels` of one selector, as map entries.
fn selector_fields(selector: &Selector) -> Vec<(Reply, Reply)> {
    vec![
        (
            bulk("commands"),
            Reply::Bulk(command_rules(selector).into_bytes()),
        ),
        (bulk("keys"), Reply::Bulk(keys_text(selector))),
        (bulk("channels"), Reply::Bulk(channels_text(selector))),
    ]
}

/// `ACL GETUSER`'s reply.
pub(crate) fn getuser(user: &User) -> Reply {
    let mut fields = vec![
        (
            bulk("flags"),
            Reply::Set(user.flags().into_iter().map(bulk).collect()),
        ),
        (
            bulk("passwords"),
            Reply::Array(
                user.passwords
                    .iter()
                    .map(|h| Reply::Bulk(h.as_bytes().to_vec()))
                    .collect(),
            ),
        ),
    ];
    fields.extend(selector_fields(&user.root));
    fields.push((
        bulk("selectors"),
        Reply::Array(
            user.selectors
                .iter()
                .map(|s| Reply::Map(selector_fields(s)))
                .collect(),
        ),
    ));
    Reply::Map(fields)
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}
