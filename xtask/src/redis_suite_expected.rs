// Tests of unit/scripting that fail today: (pass, name). Included by redis_suite.rs.
&[
    // Pass 0, through FUNCTION LOAD + FCALL.
    // no ACL users (ACL SETUSER).
    (0, "Script ACL check"),
    // Pass 1, through EVAL.
    // needs the replication stream (SYNC).
    (1, "SPOP: We can call scripts rewriting client->argv from Lua"),
    // needs the replication stream (SYNC).
    (1, "MGET: mget shouldn't be propagated in Lua"),
    // needs the replication stream (SYNC).
    (1, "EXPIRE: We can call scripts rewriting client->argv from Lua"),
    // the harness's report of the same missing SYNC, printed as a test name.
    (1, "replication_stream error. Received '-ERR unknown command 'SYNC', with args beginning with: "),
    // no ACL users (ACL SETUSER).
    (1, "Script ACL check"),
    // no replicas: min-replicas-to-write is stored but scripts never get NOREPLICAS (engine hook needed).
    (1, "not enough good replicas"),
    // commands the engine rejects inside scripts are not counted as rejected_calls (engine hook needed); GEOADD is not in MemoryHost.
    (1, "Consistent eval error reporting"),
]
