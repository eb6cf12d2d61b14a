print("hello from Ferrous")
