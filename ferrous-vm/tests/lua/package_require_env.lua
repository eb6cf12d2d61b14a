-- `require` and `module` find the package table as their environment and the loaded modules
-- in the registry (`_LOADED`), as 5.1 does: replacing the global `package` or `package.loaded`
-- does not change them.
local print, pcall, p = print, pcall, package
print(getfenv(require) == package, getfenv(module) == package, getfenv(package.loaders[2]) == package)
print(debug.getregistry()._LOADED == package.loaded)
package.preload.foo = function(...) return "foo!", ... end
print(require("foo"))

package = nil
print(require("foo"), pcall(require, "nope") )
package = p
package.loaded = {}
print(require("foo"))
module("mymod")
print(_NAME, p.loaded.mymod ~= nil)
