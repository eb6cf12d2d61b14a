local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
local function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(10001), even(10000))
local function multi(n) if n == 0 then return 1, 2, 3 end return multi(n - 1) end
print(multi(1000))
local function to_native(...) return select('#', ...) end
local function tail_native(...) return to_native(...) end
print(tail_native(1, 2, 3))
local function tail_print() return print("from tail") end
print(select('#', tail_print()))
local obj = {n = 0}
function obj:step(k) if k == 0 then return self.n end self.n = self.n + 1 return self:step(k - 1) end
print(obj:step(50000))
local callable = setmetatable({}, {__call = function(self, n) return n * 2 end})
local function tail_callable(n) return callable(n) end
print(tail_callable(21))
local function tail_error() return error("from tail call") end
print(pcall(tail_error))
local function lvl2() error("level 2 message", 2) end
local function via_tail() return lvl2() end
print(pcall(via_tail))
local function not_tail(n) if n == 0 then return 0 end return (not_tail(n - 1)) end
print(not_tail(100))
local function acc(n, s) if n == 0 then return s end return acc(n - 1, s + n) end
print(acc(100000, 0))
local co = coroutine.wrap(function(n) local function f(k) if k == 0 then return coroutine.yield("yielded deep") end return f(k - 1) end return f(n) end)
print(co(10000))
print(pcall(function() local function t() return undefined_fn() end return t() end))
