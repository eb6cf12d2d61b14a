//! Who a client is and what it speaks: `AUTH [user] pass` against the ACL users (`acl.rs`
//! hashes and compares passwords in constant time) and
//! `HELLO [protover [AUTH user pass] [SETNAME name]]` with Redis 7.0's reply map.

use ferrous_redis::{REDIS_VERSION, Reply};

use super::clients;
use super::core::Core;

/// `-WRONGPASS`.
const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

impl Core {
    /// `AUTH [user] password`.
    pub(crate) fn auth(&mut self, id: u64, argv: &[Vec<u8>]) -> Reply {
        let (user, pass) = match argv {
            [_, pass] => (&b"default"[..], pass.as_slice()),
            [_, user, pass] => (user.as_slice(), pass.as_slice()),
            _ => return Reply::error("ERR syntax error"),
        };
        if argv.len() == 2 && self.engine.host().acl.default_nopass() {
            return Reply::error(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
            );
        }
        if !self.credentials_ok(id, &argv[0], user, pass) {
            return Reply::error(WRONGPASS);
        }
        if let Some(client) = self.client(id) {
            client.authenticated = true;
            client.user = user.to_vec();
        }
        Reply::ok()
    }

    /// `HELLO`.
    pub(crate) fn hello(&mut self, id: u64, argv: &[Vec<u8>]) -> Reply {
        let mut resp = None;
        let mut i = 1;
        if let Some(ver) = argv.get(1) {
            let Some(v) = std::str::from_utf8(ver)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
            else {
                return Reply::error("ERR Protocol version is not an integer or out of range");
            };
            if !(2..=3).contains(&v) {
                return Reply::error("NOPROTO unsupported protocol version");
            }
            resp = Some(if v == 3 { 3u8 } else { 2 });
            i = 2;
        }
        let mut auth: Option<(Vec<u8>, Vec<u8>)> = None;
        let mut setname: Option<Vec<u8>> = None;
        while i < argv.len() {
            let opt = argv[i].to_ascii_lowercase();
            let more = argv.len() - i - 1;
            if opt == b"auth" && more >= 2 {
                auth = Some((argv[i + 1].clone(), argv[i + 2].clone()));
                i += 3;
            } else if opt == b"setname" && more >= 1 {
                setname = Some(argv[i + 1].clone());
                i += 2;
            } else {
                return Reply::error(format!(
                    "ERR Syntax error in HELLO option '{}'",
                    String::from_utf8_lossy(&argv[i])
                ));
            }
        }
        if let Some((user, pass)) = &auth {
            if !self.credentials_ok(id, &argv[0], user, pass) {
                return Reply::error(WRONGPASS);
            }
        }
        let authenticated = self.clients.get(&id).is_some_and(|c| c.authenticated);
        if !authenticated && auth.is_none() {
            return Reply::error(
                "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
            );
        }
        if let Some(name) = &setname {
            if !clients::valid_name(name) {
                return Reply::error(clients::BAD_NAME);
            }
        }
        let Some(client) = self.client(id) else {
            return Reply::NilArray;
        };
        if let Some((user, _)) = auth {
            client.authenticated = true;
            client.user = user;
        }
        if let Some(name) = setname {
            client.name = name;
        }
        if let Some(resp) = resp {
            client.resp = resp;
        }
        let bulk = |s: &str| Reply::Bulk(s.as_bytes().to_vec());
        Reply::Map(vec![
            (bulk("server"), bulk("redis")),
            (bulk("version"), bulk(REDIS_VERSION)),
            (bulk("proto"), Reply::Integer(i64::from(client.resp))),
            (
                bulk("id"),
                Reply::Integer(i64::try_from(id).unwrap_or(i64::MAX)),
            ),
            (bulk("mode"), bulk("standalone")),
            (bulk("role"), bulk("master")),
            (bulk("modules"), Reply::Array(Vec::new())),
        ])
    }
}
