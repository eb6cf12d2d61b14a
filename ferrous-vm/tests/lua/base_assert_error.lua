print(assert(1, "unused"), assert("v"))
print(select('#', assert(true, 1, 2, 3)))
print(pcall(assert, false))
print(pcall(assert, nil, "message here"))
print(pcall(assert, false, 12))
print(pcall(assert, 0))
local function thrower(v) error(v) end
print(pcall(thrower, "s"))
print(pcall(thrower, 1.5))
local e = {}
print(select(2, pcall(thrower, e)) == e)
print(pcall(error, "lvl1", 1))
print(pcall(error, "lvl2", 2))
local function l2() error("from l2", 2) end
local function calls_l2() l2() end
print(pcall(calls_l2))
local function rethrow() local ok, err = pcall(error, "orig") error(err, 0) end
print(pcall(rethrow))
local function rethrow1() local ok, err = pcall(error, "orig") error(err) end
print(pcall(rethrow1))
print(pcall(error, setmetatable({}, {__tostring = function() return "obj" end})))
assert(false, "final assert")
