print("10" + 5, "3.5" * 2, "0x10" + 0, " 7 " - 1, "1e3" / 10)
print(10 .. "", 1.25 .. "x", -3 .. "", 2^63 .. "", 1e100 .. "")
print("10" == 10, "10" + 0 == 10, tostring(10) == "10")
print(pcall(function() return "10" < 5 end))
print(#("abc" .. 123), ("5" + 1) .. "")
print(-"2", -" 3 ", - "0x10")
print("2" ^ "3", "9" % "4")
local t = {}
t["1"] = "string key"
t[1] = "number key"
print(t["1"], t[1])
t[1.0] = "float key"
print(t[1])
print(tonumber("  0x1p4  "), tonumber("1e500"), tonumber("-1e500"), tonumber("0x"), tonumber("1e"))
print(tonumber("inf"), tonumber("nan"), tonumber(" .5"), tonumber("5 ."), tonumber("0x.8"))
print(pcall(function() return "abc" + 0 end))
print(pcall(function() return {} .. "" end))
print(1e15, 1e16, 123456789012345, 0.1, 1/3, -1/3, 100/3)
print(2^53, 2^63, -2^63, 1e300 * 1e10, -1e300 * 1e10)
print(0/0 ~= 0/0, 3 % -2, -3 % 2, 3.5 % 1, -3.5 % 1)
print(math.huge, -math.huge, math.pi, -0.0, 0.0)
