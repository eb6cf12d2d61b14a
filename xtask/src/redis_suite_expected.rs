// Tests of unit/scripting that fail today: (pass, name). Included by redis_suite.rs.
&[
    // Pass 0, through FUNCTION LOAD + FCALL.
    // streams (XGROUP, XREAD) are not in MemoryHost.
    (0, "EVAL - Scripts can't run XREAD and XREADGROUP with BLOCK option"),
    // Pass 1, through EVAL.
    // streams (XGROUP, XREAD) are not in MemoryHost.
    (1, "EVAL - Scripts can't run XREAD and XREADGROUP with BLOCK option"),
    // needs the replication stream (SYNC).
    (1, "SPOP: We can call scripts rewriting client->argv from Lua"),
    // needs the replication stream (SYNC).
    (1, "MGET: mget shouldn't be propagated in Lua"),
    // needs the replication stream (SYNC).
    (1, "EXPIRE: We can call scripts rewriting client->argv from Lua"),
    // the harness's report of the same missing SYNC, printed as a test name.
    (1, "replication_stream error. Received '-ERR unknown command 'SYNC', with args beginning with: "),
]
