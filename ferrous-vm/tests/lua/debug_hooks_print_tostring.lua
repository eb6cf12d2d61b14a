-- `print` calls the global `tostring` for each value, so a call hook sees those calls.
local log = {}
debug.sethook(function(ev)
  local info = debug.getinfo(2, "n")
  log[#log + 1] = ev .. ":" .. tostring(info and info.name)
end, "cr")
print(1, "x")
debug.sethook()
for _, l in ipairs(log) do io.write(l, " ") end
print()
-- A replaced `tostring` is used, looked up on every call.
local ts = tostring
tostring = function(v) return "<" .. ts(v) .. ">" end
print(1, nil, "s")
tostring = function() return 42 end
print("x", "y")
tostring = function() return {} end
local ok, e = pcall(print, "x")
tostring = ts
print(ok, e)
tostring = nil
ok, e = pcall(print, "x")
tostring = ts
print(ok, e)
