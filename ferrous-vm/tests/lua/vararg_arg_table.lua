-- A vararg function that does not use `...` gets 5.0's `arg` table (LUA_COMPAT_VARARG),
-- also when it is called with fewer arguments than its fixed parameters.
local function f(a, ...) end
f()
print("f() returned")
local function g(a, b, ...) return arg.n, #arg, a, b end
print(g())
print(g(1))
print(g(1, 2))
print(g(1, 2, 3, 4))
local function h(a, b, c, ...) return arg.n end
print(h(), h(nil), h(1, 2, 3, 4, 5))
print(pcall(g))
print(pcall(h, 1))
local co = coroutine.wrap(function(a, ...) return arg.n, a end)
print(co())
-- A tail call into such a function, and one through __call.
local function tail() return g() end
print(tail())
local callable = setmetatable({}, {__call = function(self, a, b, ...) return arg.n, a end})
print(callable())
