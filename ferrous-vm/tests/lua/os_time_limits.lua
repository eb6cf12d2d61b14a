-- os.time and os.date at the edges of C's ranges: fields are C ints (low 32 bits, wrapping),
-- years gmtime cannot represent give nil. Like os_basic.lua, this assumes the zone is UTC.
print(os.time({year = 2^40, month = 1, day = 1}))
print(os.time({year = 2^31 + 2000, month = 1, day = 1}))
print(os.time({year = 2000, month = 2^33 + 1, day = 1}))
print(os.time({year = 2000, month = 1, day = 1, hour = 2^31}))
print(os.time({year = 2000, month = 1, day = 1, sec = -2^31}))
print(os.time({year = 2^31 - 1, month = 12, day = 31}))
print(os.time({year = -2^31, month = 1, day = 1}))
print(os.time({year = 1e300, month = 1e300, day = -1e300, hour = 0/0}))
print(os.time({year = 2000, month = 1, day = 1}))
print(os.time({year = 1969, month = 12, day = 31, hour = 23, min = 59, sec = 59}))
print(pcall(os.date, "*t", 2^60)) print(os.date("!%c", -2^60), os.date("!%c", 0/0), os.date("!%c", 1e300), os.date("!%Y", 2^50))
