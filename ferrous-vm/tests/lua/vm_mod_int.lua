-- `MOD` of a register by a constant integer from 1 to 2^31 (`OP_MODK_INT`, `specialize.rs`):
-- an integer dividend below 2^50 takes a path without a division (`number::lua_mod_by_int`);
-- every other value takes 5.1's formula. The results, zeros' signs and errors as lua5.1's.

local function show(x) return string.format("%.17g", x) .. (1 / x < 0 and "(neg)" or "") end

local values = {
  0, -0, 1, -1, 2, -2, 3, -3, 7, -7, 999, 1000, 1001, -999, -1000, -1001,
  123456789, -123456789, 2^31 - 1, 2^31, -2^31, 2^40 + 3, -(2^40 + 3),
  2^50 - 1, -(2^50 - 1), 2^50, -2^50, 2^50 + 1, 2^53, 2^53 + 2, -2^53, 1e300, -1e300,
  0.5, -0.5, 2.5, -2.5, 1e-300, 1/0, -1/0,
}
local lines = {}
for _, x in ipairs(values) do
  lines[#lines + 1] = table.concat({
    show(x % 1), show(x % 2), show(x % 3), show(x % 7), show(x % 10), show(x % 17),
    show(x % 1000), show(x % 65537), show(x % 999999937), show(x % 2147483648),
    show(x % 2147483649), show(x % 2.5), show(x % -3),
  }, " ")
end
print(table.concat(lines, "\n"))
local nan = 0/0
print(nan % 3 ~= nan % 3, tostring(nan % 3) == tostring(nan - math.floor(nan / 3) * 3))

-- A loop's counter, as scripts use it.
local buckets = {0, 0, 0, 0, 0}
for i = -20, 20 do
  local b = i % 5 + 1
  buckets[b] = buckets[b] + 1
end
print(table.concat(buckets, ","))

-- Strings convert; other values are errors, or `__mod`.
local s = "10"
print(s % 3, ("-7") % 3)
print(pcall(function() local t = {} return t % 3 end))
print(pcall(function() local n = nil return n % 3 end))
local m = setmetatable({}, {__mod = function(a, b) return "mod " .. tostring(b) end})
print(m % 3)
