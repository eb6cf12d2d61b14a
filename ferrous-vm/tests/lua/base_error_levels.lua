local function lvl1() error("level1") end
local function lvl2() error("level2", 2) end
local function lvl0() error("level0", 0) end
local function caller() lvl2() end
print(pcall(lvl1))
print(pcall(lvl2))
print(pcall(caller))
print(pcall(lvl0))
print(pcall(function() error("three", 3) end))
print(pcall(function() error("big", 50) end))
print(pcall(function() error(12) end))
print(pcall(function() error(12.5, 1) end))
print(pcall(function() error(nil) end))
print(pcall(function() error(false) end))
print(pcall(function() assert(false) end))
print(pcall(function() assert(nil, "custom") end))
print(pcall(function() assert(false, 42) end))
print(pcall(assert, 1, 2, 3))
print(pcall(assert))
print(pcall(function() assert(false, {}) end))
local function a() local function b() error("deep", 2) end b() end
print(pcall(a))
error("final error")
