-- The standard files cannot be closed: io.close and file:close return nil and a message
-- and leave them open.
print(io.close(io.stdin))
print(io.stdin:close())
print(io.stdout:close())
print(pcall(io.close, io.stderr))
print(io.type(io.stdin), io.type(io.stdout), io.type(io.stderr))
io.write("still open\n")
io.stdout:write("stdout too\n")
print(io.output() == io.stdout)
