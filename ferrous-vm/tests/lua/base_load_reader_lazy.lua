-- `load` reads its chunk as it parses (5.1's luaZ_fill): the reader is called only when the
-- lexer needs the next byte, and a syntax error stops the reading.
local function bytes(s)
  local i = 0
  local reader = function() i = i + 1; return string.sub(s, i, i) end
  return reader, function() return i end
end

local function try(s)
  local reader, calls = bytes(s)
  local f, msg = load(reader, "=src")
  print(string.format("%-32q %-8s %3d  %s", s, type(f), calls(), tostring(msg)))
end

try("*a = 123")
try("x = = 1 + 2 + 3")
try("x = 'abc\\999' .. 1")
try("x = [[abc")
try("x = 3e+ y")
try("local t = {a = 1, b}  x = = 1")
try("return 1\n")
try("x = 'ab\ncd'")
try("--[==[ c ]==] return [=[\nlong]=] .. 'a\\tb'")
try("return 1 + + 2")
try("a.b:c 'x' 'y' = 1")

-- A reader error in the middle stops reading at once.
local n = 0
print(pcall(load, function()
  n = n + 1
  if n == 3 then error("stop", 0) end
  return "x = 1 "
end))
print(n)
n = 0
print(pcall(load, function()
  n = n + 1
  if n == 1 then return "return " end
  return true
end))
print(n)
-- Numbers are pieces too; the chunk goes on after them.
n = 0
print(load(function()
  n = n + 1
  if n == 1 then return "return " elseif n == 2 then return 42 end
end)())
-- A binary chunk with a bad header: reading stops after the header.
local dump = string.dump(function() return 7 end)
local bad = "\27Lux" .. string.sub(dump, 5)
local reader, calls = bytes(bad)
print(load(reader, "=bin"))
print(calls())
reader, calls = bytes(dump)
print(load(reader)())
-- The reader's pieces are kept alive while the chunk is compiled.
n = 0
local f = load(function()
  n = n + 1
  collectgarbage()
  if n <= 3 then return string.rep(" ", 10) .. "x" .. n .. " = " .. n .. "\n" end
end)
f()
print(x1, x2, x3)
