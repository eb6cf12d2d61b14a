// Tests of unit/scripting that fail today: (pass, name). Included by redis_suite.rs.
&[
    // Pass 0, through FUNCTION LOAD + FCALL.
    // streams (XGROUP, XREAD) are not in MemoryHost.
    (0, "EVAL - Scripts can't run XREAD and XREADGROUP with BLOCK option"),
    // Pass 1, through EVAL.
    // streams (XGROUP, XREAD) are not in MemoryHost.
    (1, "EVAL - Scripts can't run XREAD and XREADGROUP with BLOCK option"),
]
