//! `COMMAND`, `COMMAND COUNT`, `COMMAND INFO`, `COMMAND DOCS`, `COMMAND LIST`,
//! `COMMAND GETKEYS` and `COMMAND GETKEYSANDFLAGS`, answered from the engine's command table
//! (Redis 7.0.15's). `COMMAND INFO` leaves key specifications and tips empty and `COMMAND DOCS`
//! the documentation; `GETKEYS` uses the key specifications.

use ferrous_redis::{
    CommandFlags, CommandSpec, Reply, all_commands, keys_with_flags, lookup_command,
};

use super::glob::glob_match;

/// One command as `COMMAND INFO` shows it.
fn describe(spec: &CommandSpec) -> Reply {
    let flags = spec
        .flags
        .names()
        .map(|f| Reply::Status(f.as_bytes().to_vec()))
        .collect();
    let categories = spec
        .acl_categories
        .names()
        .map(|c| Reply::Status(format!("@{c}").into_bytes()))
        .collect();
    Reply::Array(vec![
        Reply::Bulk(spec.name.as_bytes().to_vec()),
        Reply::Integer(i64::from(spec.arity)),
        Reply::Set(flags),
        Reply::Integer(i64::from(spec.first_key)),
        Reply::Integer(i64::from(spec.last_key)),
        Reply::Integer(i64::from(spec.key_step)),
        Reply::Set(categories),
        Reply::Set(Vec::new()),
        Reply::Array(Vec::new()),
        Reply::Array(spec.subcommands.iter().map(describe).collect()),
    ])
}

/// `COMMAND [subcommand ...]`.
pub(crate) fn command(spec: &CommandSpec, argv: &[Vec<u8>]) -> Reply {
    match spec.name {
        "command" => Reply::Array(all_commands().iter().map(describe).collect()),
        "command|count" => Reply::Integer(all_commands().len() as i64),
        "command|info" => {
            if argv.len() == 2 {
                return Reply::Array(all_commands().iter().map(describe).collect());
            }
            Reply::Array(
                argv[2..]
                    .iter()
                    .map(|name| lookup_command(name).map_or(Reply::NilArray, describe))
                    .collect(),
            )
        }
        "command|docs" => {
            let names: Vec<&CommandSpec> = if argv.len() == 2 {
                all_commands().iter().collect()
            } else {
                argv[2..].iter().filter_map(|n| lookup_command(n)).collect()
            };
            Reply::Map(
                names
                    .into_iter()
                    .map(|spec| {
                        (
                            Reply::Bulk(spec.name.as_bytes().to_vec()),
                            Reply::Map(Vec::new()),
                        )
                    })
                    .collect(),
            )
        }
        "command|list" => {
            let pattern = match argv.get(2..) {
                Some([filterby, kind, value])
                    if filterby.eq_ignore_ascii_case(b"filterby")
                        && kind.eq_ignore_ascii_case(b"pattern") =>
                {
                    Some(value.to_ascii_lowercase())
                }
                Some([]) | None => None,
                _ => return Reply::error("ERR syntax error"),
            };
            let mut names = Vec::new();
            for spec in all_commands() {
                for name in
                    std::iter::once(spec.name).chain(spec.subcommands.iter().map(|s| s.name))
                {
                    if pattern
                        .as_ref()
                        .is_none_or(|p| glob_match(p, name.as_bytes()))
                    {
                        names.push(Reply::Bulk(name.as_bytes().to_vec()));
                    }
                }
            }
            Reply::Array(names)
        }
        "command|getkeys" => getkeys(&argv[2..], false),
        "command|getkeysandflags" => getkeys(&argv[2..], true),
        _ => Reply::error(format!(
            "ERR unknown subcommand '{}'. Try COMMAND HELP.",
            String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
        )),
    }
}

/// `COMMAND GETKEYS cmd args...` and `COMMAND GETKEYSANDFLAGS` (`getKeysSubcommandImpl`): the
/// checks in Redis's order, then the keys (with their flags) from the key specifications.
fn getkeys(target: &[Vec<u8>], with_flags: bool) -> Reply {
    let spec = target
        .first()
        .and_then(|name| lookup_command(name))
        .and_then(|base| match target.get(1) {
            Some(sub) if base.is_container() => base.subcommand(sub),
            _ => Some(base),
        });
    let Some(spec) = spec else {
        return Reply::error("ERR Invalid command specified");
    };
    if !spec.has_keys() {
        return Reply::error("ERR The command has no key arguments");
    }
    if !spec.arity_ok(target.len()) {
        return Reply::error("ERR Invalid number of arguments specified for command");
    }
    let keys = keys_with_flags(spec, target);
    if keys.is_empty() {
        return if spec.flags.contains(CommandFlags::NO_MANDATORY_KEYS) {
            Reply::Array(Vec::new())
        } else {
            Reply::error("ERR Invalid arguments specified for command")
        };
    }
    Reply::Array(
        keys.into_iter()
            .filter_map(|(pos, flags)| {
                let key = Reply::Bulk(target.get(pos)?.clone());
                Some(if with_flags {
                    let names = flags
                        .names()
                        .map(|n| Reply::Status(n.as_bytes().to_vec()))
                        .collect();
                    Reply::Array(vec![key, Reply::Set(names)])
                } else {
                    key
                })
            })
            .collect(),
    )
}
