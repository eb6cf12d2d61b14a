//! `COMMAND`, `COMMAND COUNT`, `COMMAND INFO`, `COMMAND DOCS`, `COMMAND LIST` and
//! `COMMAND GETKEYS`, answered from the engine's command table (Redis 7.0.15's). Key
//! specifications and documentation are left empty.

use ferrous_redis::{CommandSpec, Reply, all_commands, keys_of, lookup_command, resolve_command};

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
        "command|getkeys" | "command|getkeysandflags" => getkeys(&argv[2..]),
        _ => Reply::error(format!(
            "ERR unknown subcommand '{}'. Try COMMAND HELP.",
            String::from_utf8_lossy(argv.get(1).map_or(&[][..], Vec::as_slice))
        )),
    }
}

/// `COMMAND GETKEYS cmd args...`.
fn getkeys(target: &[Vec<u8>]) -> Reply {
    let spec = match resolve_command(target) {
        Ok(spec) => spec,
        Err(ferrous_redis::CommandError::WrongArity(_)) => {
            return Reply::error("ERR Invalid number of arguments specified for command");
        }
        Err(_) => return Reply::error("ERR Invalid command specified"),
    };
    let keys: Vec<Reply> = keys_of(spec, target)
        .filter_map(|pos| target.get(pos))
        .map(|k| Reply::Bulk(k.clone()))
        .collect();
    if keys.is_empty() {
        return Reply::error("ERR The command has no key arguments");
    }
    Reply::Array(keys)
}
