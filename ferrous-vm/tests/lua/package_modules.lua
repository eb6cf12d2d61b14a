-- require over package.loaders, module, package.seeall, cpath, config, loadlib
print(type(package.cpath), package.config)
local _, _, kind = package.loadlib("no_such_lib.so", "luaopen_x")
print(kind == "absent" or kind == "open")
print(#package.loaders)
print(pcall(require, "no.such_module"))
package.preload.pm = function(n)
  module(n, package.seeall)
  function hello() return "hi " .. _NAME end
end
local pm = require("pm")
print(pm.hello(), pm._NAME, pm._PACKAGE, pm._M == pm, package.loaded.pm == pm)
print(pcall(module, 1))
package.preload.bad = function() error("bad!") end
print(pcall(require, "bad"))
print(pcall(require, "bad"))
x = 5
print(pcall(function() module("x") end))
local t = {}
package.seeall(t)
print(getmetatable(t).__index == _G)
-- a searcher of our own, in front of the others
table.insert(package.loaders, 1, function(name)
  if name == "virtual" then return function() return {answer = 42} end end
  return "\n\tnot virtual"
end)
print(require("virtual").answer)
print(select(2, pcall(require, "nothing_here")):sub(1, 60))
package.preload["a.b.c"] = function(n) module(n) end
require("a.b.c")
print(a.b.c._NAME, a.b.c._PACKAGE)
print(pcall(require))
