// Tests of unit/scripting that fail today: (pass, name). Included by redis_suite.rs.
// Pass 0 runs the suite through FUNCTION LOAD + FCALL, pass 1 through EVAL. None fail today.
&[]
