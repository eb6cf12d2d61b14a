local function count(...) return select('#', ...) end
local function pass(...) return ... end
local function first(...) local a = ... return a end
local function pack(...) return {...} end
local function mid(...) return 1, ..., 2 end
print(count(), count(nil), count(1, 2, 3), count(pass(1, nil, nil)))
print(pass(1, 2, 3))
print((pass(1, 2, 3)))
print(first(7, 8, 9), first())
print(#pack(1, 2, 3), pack(4, 5)[2])
print(mid(10, 20))
print(count(mid()), count(mid(nil, nil)))
local function fixed(a, b, ...) return a, b, select('#', ...) end
print(fixed(1), fixed(1, 2, 3, 4))
local function adjust(...) local a, b, c = ... return a, b, c end
print(adjust(1), adjust(1, 2, 3, 4))
local function arg_compat(...) return arg end
print(type(arg_compat(1, 2)))
local function old_arg(a, ...) return arg and arg.n, arg and arg[1] end
print(old_arg(1, 2, 3))
local t = {pass(1, 2), pass(3, 4)}
print(#t, t[1], t[2], t[3])
local t2 = {pass(1, 2), (pass(3, 4))}
print(#t2)
print(pass(pass(pass("deep", "x"))))
local many = {}
for i = 1, 300 do many[i] = i end
print(count(unpack(many)))
local function sum(...) local s = 0 for i = 1, select('#', ...) do s = s + select(i, ...) end return s end
print(sum(unpack(many)))
local function tailvar(...) return count(...) end
print(tailvar(nil, nil, nil))
local co = coroutine.wrap(function(...) local n = select('#', ...) local x = coroutine.yield(n, ...) return x, ... end)
print(co(1, 2))
print(co("resumed"))
print(string.format("%d %s", pass(5, "five")))
local function varmethod(self, ...) return self.name, ... end
local o = {name = "o", m = varmethod}
print(o:m(1, 2))
print(select(2, pass(1, 2, 3)))
print(math.max(pass(3, 9, 2)))
