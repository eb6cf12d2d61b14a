print("before")
local function f() error(42.5, 2) end
f()
