-- os.execute: C's system(), raw wait status
print(os.execute())
print(os.execute("exit 0"))
print(os.execute("exit 3"))
print(os.execute("true"))
io.write("before ")
io.flush()
print(os.execute("echo from-shell >/dev/null"))
print(pcall(os.execute, {}))
