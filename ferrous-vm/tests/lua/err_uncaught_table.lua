print("before")
error(setmetatable({}, {__tostring = function() return "not used by lua.c" end}))
